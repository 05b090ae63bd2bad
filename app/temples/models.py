"""Temples, zones, darshan slots, bookings, crowd readings, shuttles and resources."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.timeutil import utcnow
from app.core.types import UTCDateTime
from app.extensions import db


class Temple(db.Model):
    __tablename__ = "temples"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    location: Mapped[str] = mapped_column(String(120))
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    timezone: Mapped[str] = mapped_column(String(40), default="Asia/Kolkata")
    code_prefix: Mapped[str] = mapped_column(String(3))
    zones: Mapped[list[Zone]] = relationship(back_populates="temple", order_by="Zone.id")


class Zone(db.Model):
    __tablename__ = "zones"
    __table_args__ = (UniqueConstraint("temple_id", "slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    temple_id: Mapped[int] = mapped_column(ForeignKey("temples.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(120))
    capacity: Mapped[int] = mapped_column(Integer)
    last_count: Mapped[int | None] = mapped_column(Integer)
    last_level: Mapped[str | None] = mapped_column(String(10))
    last_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    temple: Mapped[Temple] = relationship(back_populates="zones")


class DarshanSlot(db.Model):
    """A time window at a temple with a capacity; ``booked`` never leaves 0…capacity (a CHECK backs it)."""

    __tablename__ = "darshan_slots"
    __table_args__ = (UniqueConstraint("temple_id", "starts_at"),
                      CheckConstraint("booked >= 0 AND booked <= capacity", name="booked_within_capacity"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    temple_id: Mapped[int] = mapped_column(ForeignKey("temples.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    capacity: Mapped[int] = mapped_column(Integer)
    booked: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | closed
    # The quota release whose queue sells this slot (None: booked directly).
    release_id: Mapped[int | None] = mapped_column(ForeignKey("darshan_releases.id", ondelete="SET NULL"),
                                                   index=True)
    # Held by its release (scheduled, queued or sold out): only the release's admission may take its seats.
    held: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    temple: Mapped[Temple] = relationship()
    release: Mapped[Release | None] = relationship(viewonly=True)

    @property
    def bookable(self) -> bool:
        """Open and not started yet."""
        return self.status == "open" and self.starts_at > utcnow()

    @property
    def available(self) -> int:
        """Seats pilgrims can still book (none once the slot has started or closed)."""
        return max(0, self.capacity - self.booked) if self.bookable else 0

    @property
    def shown_status(self) -> str:
        """``open`` while bookable, else ``closed``."""
        return "open" if self.bookable else "closed"


class Release(db.Model):
    """A quota release: a set of slots that opens at a given time, sold through a fair queue while it is live.

    scheduled → open (at ``opens_at`` or by an operator) → sold_out (no seat left) or closed (by an operator).
    """

    __tablename__ = "darshan_releases"
    __table_args__ = (CheckConstraint("status IN ('scheduled', 'open', 'sold_out', 'closed')", name="release_status"),
                      CheckConstraint("per_person_limit BETWEEN 1 AND 10", name="release_limit"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    temple_id: Mapped[int] = mapped_column(ForeignKey("temples.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    queued: Mapped[bool] = mapped_column(Boolean, default=True)
    per_person_limit: Mapped[int] = mapped_column(Integer, default=2)
    status: Mapped[str] = mapped_column(String(10), default="scheduled", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    temple: Mapped[Temple] = relationship()
    slots: Mapped[list[DarshanSlot]] = relationship(order_by="DarshanSlot.starts_at", viewonly=True)
    queue_figures = None  # filled by the service for the resource: waiting, admitted, turned away

    @property
    def seats(self) -> dict:
        """Seats of the release's slots: capacity, booked and still available."""
        return {"capacity": sum(s.capacity for s in self.slots), "booked": sum(s.booked for s in self.slots),
                "available": sum(s.available for s in self.slots)}


class ReleaseAdmission(db.Model):
    """The durable record of one queue ticket reaching the head: admitted (with its booking) or turned away."""

    __tablename__ = "release_admissions"
    __table_args__ = (Index("ix_release_admissions_release_user", "release_id", "user_id"),
                      Index("ix_release_admissions_release_phone", "release_id", "phone_key"))

    ticket: Mapped[str] = mapped_column(String(32), primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("darshan_releases.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)  # arrival order in the release's queue
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    phone_key: Mapped[str | None] = mapped_column(String(20))
    slot_id: Mapped[int] = mapped_column(ForeignKey("darshan_slots.id", ondelete="CASCADE"))
    party_size: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(24))  # admitted | slot_full | slot_closed | release_limit_reached …
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id", ondelete="SET NULL"))
    enqueued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Booking(db.Model):
    __tablename__ = "bookings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("darshan_slots.id", ondelete="CASCADE"), index=True)
    party_size: Mapped[int] = mapped_column(Integer)
    visitors: Mapped[list | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12), default="confirmed", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    slot: Mapped[DarshanSlot] = relationship()


class CrowdReading(db.Model):
    __tablename__ = "crowd_readings"
    __table_args__ = (Index("ix_crowd_readings_zone_at", "zone_id", "at"),
                      Index("ix_crowd_readings_temple_at", "temple_id", "at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    temple_id: Mapped[int] = mapped_column(ForeignKey("temples.id", ondelete="CASCADE"))
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id", ondelete="CASCADE"))
    count: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class ShuttleRoute(db.Model):
    __tablename__ = "shuttle_routes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    temple_id: Mapped[int] = mapped_column(ForeignKey("temples.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    stops: Mapped[list[RouteStop]] = relationship(order_by="RouteStop.seq", cascade="all, delete-orphan")


class RouteStop(db.Model):
    __tablename__ = "route_stops"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    route_id: Mapped[int] = mapped_column(ForeignKey("shuttle_routes.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(120))
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)


class Shuttle(db.Model):
    __tablename__ = "shuttles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    route_id: Mapped[int] = mapped_column(ForeignKey("shuttle_routes.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    capacity: Mapped[int] = mapped_column(Integer)
    passengers: Mapped[int] = mapped_column(Integer, default=0)
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    position_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    route: Mapped[ShuttleRoute] = relationship()

    @property
    def load_pct(self) -> float:
        return round(100 * self.passengers / self.capacity, 1) if self.capacity else 0.0

    @property
    def position(self) -> dict | None:
        return None if self.lat is None else {"lat": self.lat, "lng": self.lng, "at": self.position_at}


class ShuttlePosition(db.Model):
    __tablename__ = "shuttle_positions"
    __table_args__ = (Index("ix_shuttle_positions_shuttle_at", "shuttle_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shuttle_id: Mapped[int] = mapped_column(ForeignKey("shuttles.id", ondelete="CASCADE"))
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    passengers: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class Resource(db.Model):
    __tablename__ = "temple_resources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    temple_id: Mapped[int] = mapped_column(ForeignKey("temples.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # ambulance | security_post | facility
    name: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(12), default="available")  # available | in_use | maintenance
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    next_maintenance: Mapped[date | None] = mapped_column(Date)
