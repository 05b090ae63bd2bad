"""Per-local-day totals computed by the database, for KPIs and trends.

``per_local_day(Booking.created_at, first, last)`` counts rows per day of the city's calendar;
``value=Reservation.cost`` sums a column instead. Days are cut at local midnight: on PostgreSQL
with ``timezone(zone, ts)`` (exact across DST changes); on SQLite (the embedded demo) with the
zone's current UTC offset, which is exact for zones without DST such as Asia/Kolkata.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from app.core.timeutil import city_zone, local_to_utc, utcnow
from app.extensions import db


def local_date_sql(column, zone: ZoneInfo):
    """A SQL expression for the local calendar date of a UTC timestamp column."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone(zone.key, column))
    minutes = int(utcnow().astimezone(zone).utcoffset().total_seconds() // 60)
    return func.date(column, f"{minutes:+d} minutes")


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def per_local_day(column, first: date, last: date, *criteria, value=None,
                  zone: ZoneInfo | None = None) -> dict[date, int | Decimal]:
    """Row count (or ``sum(value)``) per local day from ``first`` to ``last`` inclusive; days without rows are absent.

    ``column`` is the aware UTC timestamp that places a row on a day; ``criteria`` are extra WHERE clauses
    on the same table.
    """
    tz = zone or city_zone()
    start = local_to_utc(first, time(0), tz)
    end = local_to_utc(last + timedelta(days=1), time(0), tz)
    day = local_date_sql(column, tz).label("day")
    total = func.count() if value is None else func.coalesce(func.sum(value), 0)
    stmt = (select(day, total).where(column >= start, column < end, *criteria)
            .group_by("day"))
    return {_as_date(d): v for d, v in db.session.execute(stmt)}


def day_range(first: date, last: date) -> list[date]:
    """Every date from ``first`` to ``last`` inclusive."""
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]
