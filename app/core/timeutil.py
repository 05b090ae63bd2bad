"""Time rules: store UTC, show ISO 8601 with offset, schedule in the city's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_ZONE = "Asia/Kolkata"


def utcnow() -> datetime:
    """Return the current aware UTC time (frozen clocks in tests patch datetime)."""
    return datetime.now(UTC)


def city_zone() -> ZoneInfo:
    """Return the city's time zone from config."""
    name = current_app.config.get("CITY_TIMEZONE", DEFAULT_ZONE) if has_app_context() else DEFAULT_ZONE
    return ZoneInfo(name)


def as_utc(value: datetime) -> datetime:
    """Return ``value`` as aware UTC (naive values are taken to be UTC, as SQLite returns them)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def to_local(value: datetime, zone: ZoneInfo | str | None = None) -> datetime:
    """Return ``value`` in the given (or the city's) zone."""
    tz = ZoneInfo(zone) if isinstance(zone, str) else (zone or city_zone())
    return as_utc(value).astimezone(tz)


def local_to_utc(day: date, at: time, zone: ZoneInfo | str | None = None) -> datetime:
    """Combine a local date and wall-clock time in ``zone`` and return it in UTC."""
    tz = ZoneInfo(zone) if isinstance(zone, str) else (zone or city_zone())
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def local_today(zone: ZoneInfo | str | None = None) -> date:
    """Return today's date in the city's (or the given) zone."""
    return to_local(utcnow(), zone).date()


def parse_cron(expression: str):
    """Parse a five-field cron expression (minute hour day month weekday) into a Celery crontab."""
    from celery.schedules import crontab

    parts = expression.split()
    if len(parts) != 5:
        raise ValueError("A cron expression has five fields: minute hour day-of-month month day-of-week.")
    minute, hour, day, month, weekday = parts
    return crontab(minute=minute, hour=hour, day_of_month=day, month_of_year=month, day_of_week=weekday)
