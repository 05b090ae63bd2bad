"""Parking lots, their numbered spots, reservations, and the record of sent reminders/reports (VP-3…VP-9).

Two cars never share a spot: a spot is claimed by one conditional UPDATE (see
``app.parking.allocation``) and a partial unique index allows one *active* reservation per spot;
another allows one active reservation per user.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Float, ForeignKey, Index, Integer, String, UniqueConstraint, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import Money, UTCDateTime
from app.extensions import db

FREE, OCCUPIED = "free", "occupied"
ACTIVE, RELEASED = "active", "released"
ACTIVE_ONLY = text("status = 'active'")


class ParkingLot(db.Model):
    """A lot; deleting it only marks it (its reservations stay for history, statistics and exports)."""

    __tablename__ = "parking_lots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(300))
    pin_code: Mapped[str] = mapped_column(String(6))
    price_per_hour: Mapped[Decimal] = mapped_column(Money())
    total_spots: Mapped[int] = mapped_column(Integer)
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=func.now())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)


class ParkingSpot(db.Model):
    __tablename__ = "parking_spots"
    __table_args__ = (UniqueConstraint("lot_id", "number", name="uq_parking_spots_lot_id_number"),
                      Index("ix_parking_spots_lot_id_status_number", "lot_id", "status", "number"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("parking_lots.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default=FREE)  # free | occupied


class Reservation(db.Model):
    """One car parked in one spot, from ``parked_at`` until released; the price is fixed when parking."""

    __tablename__ = "parking_reservations"
    __table_args__ = (
        Index("uq_parking_reservations_active_spot", "spot_id", unique=True,
              sqlite_where=ACTIVE_ONLY, postgresql_where=ACTIVE_ONLY),
        Index("uq_parking_reservations_active_user", "user_id", unique=True,
              sqlite_where=ACTIVE_ONLY, postgresql_where=ACTIVE_ONLY),
        Index("ix_parking_reservations_user_id_parked_at", "user_id", "parked_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    lot_id: Mapped[int] = mapped_column(ForeignKey("parking_lots.id"), index=True)
    spot_id: Mapped[int | None] = mapped_column(ForeignKey("parking_spots.id", ondelete="SET NULL"))
    spot_number: Mapped[int] = mapped_column(Integer)
    vehicle_number: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(10), default=ACTIVE, index=True)  # active | released
    price_per_hour: Mapped[Decimal] = mapped_column(Money())
    parked_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    hours: Mapped[int | None] = mapped_column(Integer)  # started hours billed, fixed on release
    cost: Mapped[Decimal | None] = mapped_column(Money())
    lot: Mapped[ParkingLot] = relationship(lazy="joined")


class ReportRun(db.Model):
    """A reminder or report already sent to a user for a period: a re-run or a second beat skips it."""

    __tablename__ = "parking_report_runs"
    __table_args__ = (UniqueConstraint("kind", "period", "user_id", name="uq_parking_report_runs_kind_period_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))  # daily_reminder | monthly_report | monthly_admin_report
    period: Mapped[str] = mapped_column(String(10))  # 2025-06-01 (a day) or 2025-05 (a month)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())
