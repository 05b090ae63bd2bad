"""Export datasets of the temples domain: bookings and crowd readings (PW-17, CR-4)."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from app.core.errors import ValidationFailed
from app.core.timeutil import local_to_utc
from app.extensions import db
from app.reports.datasets import Column, Dataset, register_dataset
from app.temples.models import Booking, CrowdReading, DarshanSlot, Temple, Zone

RANGE = {"temple": "temple slug", "date_from": "YYYY-MM-DD", "date_to": "YYYY-MM-DD"}


def _filters(stmt, filters: dict, time_column):
    if filters.get("temple"):
        stmt = stmt.where(Temple.slug == filters["temple"])
    try:
        if filters.get("date_from"):
            stmt = stmt.where(time_column >= local_to_utc(date.fromisoformat(filters["date_from"]), time(0)))
        if filters.get("date_to"):
            end = date.fromisoformat(filters["date_to"]) + timedelta(days=1)
            stmt = stmt.where(time_column < local_to_utc(end, time(0)))
    except ValueError as exc:
        raise ValidationFailed({"filters": ["Dates must be YYYY-MM-DD."]}) from exc
    return stmt


def booking_rows(*, owner_id: int, is_admin: bool, filters: dict):
    """Bookings (a pilgrim's own, or all for operators and admins)."""
    stmt = (select(Booking, DarshanSlot.starts_at, Temple.name).select_from(Booking)
            .join(DarshanSlot, DarshanSlot.id == Booking.slot_id).join(Temple, Temple.id == DarshanSlot.temple_id)
            .order_by(DarshanSlot.starts_at, Booking.id))
    if not is_admin:
        stmt = stmt.where(Booking.user_id == owner_id)
    stmt = _filters(stmt, filters, DarshanSlot.starts_at)
    for booking, starts_at, temple in db.session.execute(stmt.execution_options(yield_per=500)):
        yield {"code": booking.code, "temple": temple, "slot": starts_at, "party_size": booking.party_size,
               "status": booking.status, "booked_at": booking.created_at, "checked_in_at": booking.checked_in_at}


def crowd_rows(*, owner_id: int, is_admin: bool, filters: dict):
    """Crowd readings with density."""
    stmt = (select(CrowdReading.at, CrowdReading.count, Zone.slug, Zone.capacity, Temple.name)
            .join(Zone, Zone.id == CrowdReading.zone_id).join(Temple, Temple.id == CrowdReading.temple_id)
            .order_by(CrowdReading.at))
    stmt = _filters(stmt, filters, CrowdReading.at)
    for at, count, zone, capacity, temple in db.session.execute(stmt.execution_options(yield_per=1000)):
        yield {"at": at, "temple": temple, "zone": zone, "count": count, "capacity": capacity,
               "density_pct": round(100 * count / capacity, 1) if capacity else None}


def register_datasets() -> None:
    register_dataset(Dataset(
        name="bookings", title="Darshan bookings", rows=booking_rows, filters=RANGE,
        roles=("user", "operator", "admin"), all_roles=("operator", "admin"),
        columns=[Column("code", "Code", 12), Column("temple", "Temple", 22), Column("slot", "Slot", 16),
                 Column("party_size", "Party", 6), Column("status", "Status", 11), Column("booked_at", "Booked", 16),
                 Column("checked_in_at", "Checked in", 16)]))
    register_dataset(Dataset(
        name="crowd", title="Crowd readings", rows=crowd_rows, filters=RANGE, roles=("operator", "admin"),
        all_roles=("operator", "admin"),
        columns=[Column("at", "Time", 16), Column("temple", "Temple", 22), Column("zone", "Zone", 14),
                 Column("count", "Count", 8), Column("capacity", "Capacity", 8),
                 Column("density_pct", "Density %", 9)]))
