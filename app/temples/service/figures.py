"""Temples figures for KPIs and the export datasets (bookings, crowd readings)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.core.daily import per_local_day
from app.core.datasets import date_range
from app.extensions import db
from app.temples.models import Booking, CrowdReading, DarshanSlot, Temple, Zone


def bookings_made(first: date, last: date) -> dict:
    """Bookings made per local day."""
    return per_local_day(Booking.created_at, first, last)


def pilgrims_booked(first: date, last: date) -> dict:
    """People in the bookings made per local day."""
    return per_local_day(Booking.created_at, first, last, value=Booking.party_size)


def pilgrims_checked_in(first: date, last: date) -> dict:
    """People admitted at the gates per local day."""
    return per_local_day(Booking.checked_in_at, first, last, value=Booking.party_size)


def bookings_cancelled(first: date, last: date) -> dict:
    """Bookings cancelled per local day."""
    return per_local_day(Booking.cancelled_at, first, last)


def crowd_now() -> int:
    """People in every temple zone by each zone's latest reading."""
    return db.session.scalar(select(func.coalesce(func.sum(Zone.last_count), 0)))


def _temple_filter(stmt, filters: dict):
    return stmt.where(Temple.slug == filters["temple"]) if filters.get("temple") else stmt


def booking_rows(*, owner_id: int, is_admin: bool, filters: dict):
    """Bookings (a pilgrim's own, or all for operators and admins), by slot time, streamed."""
    stmt = (select(Booking, DarshanSlot.starts_at, Temple.name).select_from(Booking)
            .join(DarshanSlot, DarshanSlot.id == Booking.slot_id).join(Temple, Temple.id == DarshanSlot.temple_id)
            .order_by(DarshanSlot.starts_at, Booking.id))
    if not is_admin:
        stmt = stmt.where(Booking.user_id == owner_id)
    stmt = date_range(_temple_filter(stmt, filters), filters, DarshanSlot.starts_at)
    for booking, starts_at, temple in db.session.execute(stmt.execution_options(yield_per=500)):
        yield {"code": booking.code, "temple": temple, "slot": starts_at, "party_size": booking.party_size,
               "status": booking.status, "booked_at": booking.created_at, "checked_in_at": booking.checked_in_at}


def crowd_rows(*, owner_id: int, is_admin: bool, filters: dict):
    """Crowd readings with density, oldest first, streamed."""
    stmt = (select(CrowdReading.at, CrowdReading.count, Zone.slug, Zone.capacity, Temple.name)
            .join(Zone, Zone.id == CrowdReading.zone_id).join(Temple, Temple.id == CrowdReading.temple_id)
            .order_by(CrowdReading.at))
    stmt = date_range(_temple_filter(stmt, filters), filters, CrowdReading.at)
    for at, count, zone, capacity, temple in db.session.execute(stmt.execution_options(yield_per=1000)):
        yield {"at": at, "temple": temple, "zone": zone, "count": count, "capacity": capacity,
               "density_pct": round(100 * count / capacity, 1) if capacity else None}
