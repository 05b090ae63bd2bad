"""Crowd predictions for the coming hours (PW-11).

Method: a weekday × hour profile of the temple's overall count (mean of hourly means over the
last eight weeks), blended with the recent level. The recent ratio (current count / profile now)
scales the profile, and its effect fades by half every hour ahead, so a morning that runs 20 %
busier than usual lifts the next hour more than the evening. The band is the profile's sample
standard deviation (at least 10 % of the expected count).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import timedelta

from app.core.timeutil import as_utc, to_local, utcnow
from app.temples.models import Temple
from app.temples.service.crowd import current, density_pct, level_for, readings_between
from app.temples.service.temples import get_temple

WEEKS = 8
METHOD = "weekday_hour_profile_blended_with_recent_level"


def _hourly_totals(temple: Temple, start, end) -> dict:
    """{local hour start: overall count} using each zone's mean within the hour."""
    per_zone: dict = defaultdict(list)
    for zone_id, count, at in readings_between(temple, start, end):
        local = to_local(as_utc(at), temple.timezone).replace(minute=0, second=0, microsecond=0)
        per_zone[(local, zone_id)].append(count)
    totals: dict = defaultdict(float)
    for (hour, _zone), counts in per_zone.items():
        totals[hour] += statistics.fmean(counts)
    return totals


def _profile(temple: Temple, now) -> dict:
    samples: dict = defaultdict(list)
    for hour, total in _hourly_totals(temple, now - timedelta(weeks=WEEKS), now).items():
        samples[(hour.weekday(), hour.hour)].append(total)
    return samples


def predict(*, temple_slug: str, hours: int = 6) -> dict:
    """Expected overall count, density and level for each of the next ``hours`` hours."""
    temple = get_temple(slug=temple_slug)
    now = utcnow()
    samples = _profile(temple, now)
    state = current(temple)
    capacity = state["overall"]["capacity"]
    local_now = to_local(now, temple.timezone)
    base_now = samples.get((local_now.weekday(), local_now.hour))
    ratio = (state["overall"]["count"] / statistics.fmean(base_now)) if base_now and statistics.fmean(base_now) else 1.0
    points = []
    for ahead in range(1, hours + 1):
        at = (local_now + timedelta(hours=ahead)).replace(minute=0, second=0, microsecond=0)
        history = samples.get((at.weekday(), at.hour), [])
        base = statistics.fmean(history) if history else float(state["overall"]["count"])
        weight = 0.5 ** ahead
        expected = max(0.0, base * (weight * ratio + (1 - weight)))
        spread = statistics.stdev(history) if len(history) > 1 else 0.0
        band = max(spread, 0.1 * expected)
        pct = density_pct(round(expected), capacity)
        points.append({"at": at, "expected_count": round(expected), "low": max(0, round(expected - band)),
                       "high": round(expected + band), "density_pct": pct, "level": level_for(pct),
                       "samples": len(history)})
    return {"temple": temple.slug, "method": METHOD, "recent_ratio": round(ratio, 3), "hours": points}
