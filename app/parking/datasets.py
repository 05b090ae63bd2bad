"""The ``reservations`` export dataset (VP-7): a user exports their history, an admin everyone's."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from app.core.errors import ValidationFailed
from app.core.security import ROLES
from app.core.timeutil import local_to_utc
from app.extensions import db
from app.parking.models import ParkingLot, Reservation
from app.parking.reservations import billed_hours
from app.reports.datasets import Column, Dataset

FILTERS = {"lot_id": "a lot id (admins)", "date_from": "YYYY-MM-DD, parked on or after (city time)",
           "date_to": "YYYY-MM-DD, parked on or before (city time)"}
COLUMNS = [Column("id", "ID", 8), Column("lot", "Lot", 26), Column("spot_number", "Spot", 6),
           Column("vehicle_number", "Vehicle", 14), Column("user_id", "User", 8), Column("status", "Status", 10),
           Column("parked_at", "Parked at", 18), Column("left_at", "Left at", 18), Column("hours", "Hours", 6),
           Column("cost", "Cost (INR)", 10)]


def _day(filters: dict, key: str) -> date | None:
    value = filters.get(key)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationFailed({key: ["Use a date as YYYY-MM-DD."]}) from exc


def _lot_id(filters: dict) -> int | None:
    value = filters.get("lot_id")
    if not value:
        return None
    if not str(value).isdigit():
        raise ValidationFailed({"lot_id": ["Use a lot's numeric id."]})
    return int(value)


def _query(*, owner_id: int, is_admin: bool, filters: dict):
    stmt = select(Reservation, ParkingLot.name).join(ParkingLot, ParkingLot.id == Reservation.lot_id)
    if not is_admin:
        stmt = stmt.where(Reservation.user_id == owner_id)
    if (lot_id := _lot_id(filters)) is not None:
        stmt = stmt.where(Reservation.lot_id == lot_id)
    if start := _day(filters, "date_from"):
        stmt = stmt.where(Reservation.parked_at >= local_to_utc(start, time(0)))
    if end := _day(filters, "date_to"):
        stmt = stmt.where(Reservation.parked_at < local_to_utc(end + timedelta(days=1), time(0)))
    return stmt.order_by(Reservation.parked_at, Reservation.id)


def reservation_rows(*, owner_id: int, is_admin: bool, filters: dict):
    """Yield reservations oldest first, streamed (own rows only unless admin)."""
    stmt = _query(owner_id=owner_id, is_admin=is_admin, filters=filters)
    for res, lot_name in db.session.execute(stmt.execution_options(yield_per=500)):
        yield {"id": res.id, "lot": lot_name, "spot_number": res.spot_number, "vehicle_number": res.vehicle_number,
               "user_id": res.user_id, "status": res.status, "parked_at": res.parked_at, "left_at": res.left_at,
               "hours": billed_hours(res.parked_at, res.left_at) if res.left_at else None, "cost": res.cost}


RESERVATIONS = Dataset(name="reservations", title="Parking reservations", columns=COLUMNS, rows=reservation_rows,
                       roles=ROLES, all_roles=("admin",), filters=FILTERS)
