"""Live crowd per zone (PW-7 … PW-12): readings, density levels, history, heat map, predictions."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from app.core import charts
from app.core.errors import ValidationFailed
from app.core.events import transactional
from app.core.timeutil import as_utc, local_to_utc, local_today, to_local, utcnow
from app.extensions import db
from app.temples import events
from app.temples.models import CrowdReading, Temple, Zone
from app.temples.service.temples import get_temple

# density thresholds in percent of capacity: below 30 low, 30–60 moderate, 60–80 high, above 80 critical
LEVELS = ((30.0, "low"), (60.0, "moderate"), (80.0, "high"))
BUCKETS = {"15m": timedelta(minutes=15), "1h": timedelta(hours=1), "1d": timedelta(days=1)}
MAX_POINTS = 3000


def level_for(density_pct: float) -> str:
    for limit, name in LEVELS:
        if density_pct < limit or (name == "high" and density_pct <= limit):
            return name
    return "critical"


def density_pct(count: int, capacity: int) -> float:
    return round(100.0 * count / capacity, 1) if capacity else 0.0


def zone_state(temple: Temple, zone: Zone) -> dict:
    count = zone.last_count or 0
    pct = density_pct(count, zone.capacity)
    return {"temple": temple.slug, "temple_id": temple.id, "zone": zone.slug, "name": zone.name, "count": count,
            "capacity": zone.capacity, "density_pct": pct, "level": level_for(pct), "at": zone.last_at}


def current_crowd(*, temple_slug: str) -> dict:
    """Current count, density and level per zone and overall (public)."""
    return current(get_temple(slug=temple_slug))


def current(temple: Temple) -> dict:
    """Current count, density and level per zone and overall."""
    zones = [zone_state(temple, z) for z in temple.zones]
    count, capacity = sum(z["count"] for z in zones), sum(z["capacity"] for z in zones)
    pct = density_pct(count, capacity)
    stamps = [z["at"] for z in zones if z["at"]]
    return {"temple": temple.slug, "temple_id": temple.id, "zones": zones,
            "overall": {"count": count, "capacity": capacity, "density_pct": pct, "level": level_for(pct)},
            "at": max(stamps) if stamps else None}


def _raise_critical(temple: Temple, zone: Zone, state: dict) -> None:
    """The rule for a critical crowd alert: a zone's reading crosses 80 % of capacity (it was not critical before)."""
    from app.alerts import service as alerts

    events.zone_critical(temple, _json(state))
    alerts.create_alert(scope="zone", severity="critical", temple_id=temple.id, temple=temple.slug, zone=zone.slug,
                        title=f"{zone.name} is critically crowded",
                        message=f"{zone.name} at {temple.name} is at {state['density_pct']}% of capacity "
                                f"({state['count']}/{zone.capacity}). Hold entries and open relief routes.",
                        source="crowd")


@transactional
def record_counts(*, temple_slug: str, readings: list[dict]) -> list[dict]:
    """Store zone counts, publish `crowd_update`s, and raise an alert when a zone turns critical."""
    temple = get_temple(slug=temple_slug)
    zones = {z.slug: z for z in temple.zones}
    unknown = sorted({r["zone"] for r in readings} - set(zones))
    if unknown:
        raise ValidationFailed({"zone": [f"Unknown zone(s) at {temple.name}: {', '.join(unknown)}."]})
    now, states = utcnow(), []
    for reading in sorted(readings, key=lambda r: as_utc(r.get("at") or now)):
        zone, at = zones[reading["zone"]], as_utc(reading.get("at") or now)
        if at > now + timedelta(minutes=5):
            raise ValidationFailed({"at": ["A reading cannot be from the future."]})
        db.session.add(CrowdReading(temple_id=temple.id, zone_id=zone.id, count=reading["count"], at=at))
        if zone.last_at is None or at >= zone.last_at:
            states.append(_update_zone(temple, zone, reading["count"], at))
    return states


def _update_zone(temple: Temple, zone: Zone, count: int, at: datetime) -> dict:
    previous = zone.last_level
    zone.last_count, zone.last_at = count, at
    state = zone_state(temple, zone)
    zone.last_level = state["level"]
    events.crowd_updated(_json(state))
    if state["level"] == "critical" and previous != "critical":
        _raise_critical(temple, zone, state)
    return state


def _json(state: dict) -> dict:
    return {**state, "at": state["at"].isoformat() if state["at"] else None}


def crowd_snapshot(scope: dict) -> dict | None:
    """Socket.IO snapshot for a new `crowd` subscriber: the temple's current state."""
    temple = db.session.get(Temple, scope.get("temple_id")) if scope.get("temple_id") else None
    if temple is None:
        return None
    state = current(temple)
    return {**state, "zones": [_json(z) for z in state["zones"]],
            "at": state["at"].isoformat() if state["at"] else None, "snapshot": True}


def readings_between(temple: Temple, start: datetime, end: datetime):
    stmt = (select(CrowdReading.zone_id, CrowdReading.count, CrowdReading.at)
            .where(CrowdReading.temple_id == temple.id, CrowdReading.at >= start, CrowdReading.at < end)
            .order_by(CrowdReading.at))
    return db.session.execute(stmt).all()


def history(*, temple_slug: str, start: datetime, end: datetime, bucket: str) -> dict:
    """Mean count per zone per bucket (15m, 1h, 1d; days in the temple's local time)."""
    temple = get_temple(slug=temple_slug)
    step = BUCKETS[bucket]
    if end <= start:
        raise ValidationFailed({"to": ["Must be after from."]})
    if (end - start) / step > MAX_POINTS:
        raise ValidationFailed({"bucket": [f"Too many points; use a larger bucket or a range of at most "
                                           f"{MAX_POINTS} buckets."]})
    names = {z.id: z.slug for z in temple.zones}
    sums: dict = defaultdict(lambda: defaultdict(list))
    for zone_id, count, at in readings_between(temple, start, end):
        sums[names[zone_id]][_bucket_start(as_utc(at), step, temple.timezone)].append(count)
    series = {slug: [{"at": at, "count": round(statistics.fmean(v), 1), "readings": len(v)}
                     for at, v in sorted(points.items())] for slug, points in sums.items()}
    return {"temple": temple.slug, "bucket": bucket, "from": start, "to": end,
            "zones": [{"zone": z.slug, "capacity": z.capacity, "series": series.get(z.slug, [])} for z in temple.zones]}


def _bucket_start(at: datetime, step: timedelta, tz: str) -> datetime:
    if step == BUCKETS["1d"]:
        return local_to_utc(to_local(at, tz).date(), time(0), tz)
    seconds = int(step.total_seconds())
    return datetime.fromtimestamp(int(at.timestamp()) // seconds * seconds, at.tzinfo)


def heatmap(*, temple_slug: str, day: date | None = None, as_png: bool = False) -> dict | bytes:
    """Zones × 24 local hours of a local date (default today): mean density (%) per hour, None without readings."""
    temple = get_temple(slug=temple_slug)
    data = _heatmap(temple, day or local_today(temple.timezone))
    if not as_png:
        return data
    return charts.heatmap(f"Crowd density — {data['temple']} — {data['date']}", [z["zone"] for z in data["zones"]],
                          [str(h) for h in range(24)], [z["density_pct"] for z in data["zones"]],
                          label="% of capacity", xlabel="hour (local time)")


def _heatmap(temple: Temple, day: date) -> dict:
    start = local_to_utc(day, time(0), temple.timezone)
    cells: dict = defaultdict(list)
    for zone_id, count, at in readings_between(temple, start, start + timedelta(days=1)):
        cells[(zone_id, to_local(as_utc(at), temple.timezone).hour)].append(count)
    rows = []
    for zone in temple.zones:
        values = [cells.get((zone.id, h)) for h in range(24)]
        rows.append({"zone": zone.slug, "capacity": zone.capacity,
                     "density_pct": [None if not v else density_pct(round(statistics.fmean(v)), zone.capacity)
                                     for v in values]})
    return {"temple": temple.slug, "date": day.isoformat(), "hours": list(range(24)), "zones": rows}
