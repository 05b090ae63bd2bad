"""Forecasts from a weekday × hour profile: the mean of past values at the same local weekday and hour.

Where a weekday-hour has no history the hour-of-day mean across all days stands in, and where that
is missing too the overall mean: a forecast is always given, and says which it used.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from statistics import fmean
from zoneinfo import ZoneInfo


def profile(points: list[tuple[datetime, float]], zone: ZoneInfo) -> dict:
    """Means by (weekday, hour), by hour and overall of hourly points (UTC times)."""
    by_slot, by_hour = defaultdict(list), defaultdict(list)
    for at, value in points:
        local = at.astimezone(zone)
        by_slot[(local.weekday(), local.hour)].append(value)
        by_hour[local.hour].append(value)
    return {"slot": {k: fmean(v) for k, v in by_slot.items()}, "hour": {k: fmean(v) for k, v in by_hour.items()},
            "overall": fmean(v for _at, v in points) if points else None}


def predict(prof: dict, at: datetime, zone: ZoneInfo) -> tuple[float | None, str]:
    """The profile's value for one future hour and the method that gave it."""
    local = at.astimezone(zone)
    if (local.weekday(), local.hour) in prof["slot"]:
        return prof["slot"][(local.weekday(), local.hour)], "weekday_hour_mean"
    if local.hour in prof["hour"]:
        return prof["hour"][local.hour], "hour_mean"
    return prof["overall"], "overall_mean"


def next_hours(start: datetime, hours: int) -> list[datetime]:
    """The starts of the next ``hours`` whole hours after ``start``."""
    first = start.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return [first + timedelta(hours=n) for n in range(hours)]
