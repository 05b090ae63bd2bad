"""Reading series bucketed raw/5m/1h/1d (avg, min, max, count computed in SQL) and the retention roll-up.

Raw readings older than ``READING_RETENTION_DAYS`` are rolled up into hourly rows (count, sum, min,
max) and deleted, in one transaction; running it again finds nothing older to move, and a late
reading for an hour already rolled up is merged into that hour (counts and sums add up exactly).
Hourly and daily series read both the raw readings and the roll-ups, so history stays whole; raw and
5-minute series show what is still raw. Days are cut at local midnight (the city's UTC offset).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from app.city import sql
from app.city.catalogue import METRICS
from app.city.models import Reading, ReadingHour
from app.city.service.sensors import get_sensor
from app.core.errors import ValidationFailed
from app.core.events import Event, publish, transactional
from app.core.timeutil import city_zone, utcnow
from app.extensions import db

BUCKETS = {"raw": 0, "5m": 300, "1h": 3600, "1d": 86400}
MAX_POINTS = 5000


def _offset(seconds: int) -> int:
    return int(utcnow().astimezone(city_zone()).utcoffset().total_seconds()) if seconds == 86400 else 0


def _check_range(start: datetime, end: datetime, bucket: str) -> None:
    if end <= start:
        raise ValidationFailed({"to": ["Must be after from."]})
    step = BUCKETS[bucket] or 1
    if bucket != "raw" and (end - start).total_seconds() / step > MAX_POINTS:
        raise ValidationFailed({"bucket": [f"Too many points; use a larger bucket or a range of at most "
                                           f"{MAX_POINTS} buckets."]})


def sensor_series(*, sensor_id: int, metric: str, start: datetime, end: datetime, bucket: str = "1h") -> list[dict]:
    """One sensor's metric over [start, end): ``[{at, avg, min, max, count}]``, oldest first."""
    get_sensor(sensor_id)
    if metric not in METRICS:
        raise ValidationFailed({"metric": [f"Unknown metric {metric!r}."]})
    _check_range(start, end, bucket)
    if bucket == "raw":
        return _raw(sensor_id, metric, start, end)
    return zone_series(sensor_ids=[sensor_id], metric=metric, start=start, end=end, bucket=bucket)


def _raw(sensor_id: int, metric: str, start: datetime, end: datetime) -> list[dict]:
    stmt = (select(Reading.at, Reading.value).where(Reading.sensor_id == sensor_id, Reading.metric == metric,
                                                    Reading.at >= start, Reading.at < end)
            .order_by(Reading.at).limit(MAX_POINTS))
    return [{"at": at, "avg": v, "min": v, "max": v, "count": 1} for at, v in db.session.execute(stmt)]


def zone_series(*, sensor_ids: list[int], metric: str, start: datetime, end: datetime, bucket: str) -> list[dict]:
    """The readings of several sensors of one metric, bucketed together (5m, 1h, 1d)."""
    seconds = BUCKETS[bucket]
    offset = _offset(seconds)
    buckets: dict[int, list] = {}
    for b, n, total, low, high in _raw_buckets(sensor_ids, metric, start, end, seconds, offset):
        buckets[int(b)] = [n, total, low, high]
    if seconds >= 3600:
        for b, n, total, low, high in _hour_buckets(sensor_ids, metric, start, end, seconds, offset):
            _merge(buckets, int(b), n, total, low, high)
    return [{"at": sql.from_epoch(b), "avg": round(t / n, 3), "min": lo, "max": hi, "count": n}
            for b, (n, t, lo, hi) in sorted(buckets.items())]


def _merge(buckets: dict, key: int, n: int, total: float, low: float, high: float) -> None:
    if key not in buckets:
        buckets[key] = [n, total, low, high]
        return
    mine = buckets[key]
    buckets[key] = [mine[0] + n, mine[1] + total, min(mine[2], low), max(mine[3], high)]


def _raw_buckets(sensor_ids, metric, start, end, seconds, offset):
    bucket = sql.bucket_epoch(Reading.at, seconds, offset).label("b")
    stmt = (select(bucket, func.count(), func.sum(Reading.value), func.min(Reading.value), func.max(Reading.value))
            .where(Reading.sensor_id.in_(sensor_ids), Reading.metric == metric, Reading.at >= start, Reading.at < end)
            .group_by(bucket))
    return db.session.execute(stmt).all()


def _hour_buckets(sensor_ids, metric, start, end, seconds, offset):
    shifted = ReadingHour.hour + offset
    bucket = (shifted - shifted % seconds - offset).label("b")
    stmt = (select(bucket, func.sum(ReadingHour.count), func.sum(ReadingHour.total), func.min(ReadingHour.low),
                   func.max(ReadingHour.high))
            .where(ReadingHour.sensor_id.in_(sensor_ids), ReadingHour.metric == metric,
                   ReadingHour.hour >= int(start.timestamp()), ReadingHour.hour < int(end.timestamp()))
            .group_by(bucket))
    return db.session.execute(stmt).all()


def retention_cutoff(now: datetime | None = None) -> datetime:
    """The start of the hour before which raw readings are rolled up."""
    days = current_app.config["READING_RETENTION_DAYS"]
    return ((now or utcnow()) - timedelta(days=days)).replace(minute=0, second=0, microsecond=0)


@transactional
def roll_up_expired(*, now: datetime | None = None) -> dict:
    """Move raw readings past retention into hourly rows; return how many readings and hours moved."""
    cutoff = retention_cutoff(now)
    hour = sql.bucket_epoch(Reading.at, 3600)
    grouped = (select(Reading.sensor_id, Reading.metric, hour, func.count(), func.sum(Reading.value),
                      func.min(Reading.value), func.max(Reading.value))
               .where(Reading.at < cutoff).group_by(Reading.sensor_id, Reading.metric, hour))
    hours = db.session.execute(grouped).all()
    if not hours:
        return {"readings": 0, "hours": 0, "cutoff": cutoff}
    rows = [{"sensor_id": s, "metric": m, "hour": int(h), "count": n, "total": t, "low": lo, "high": hi}
            for s, m, h, n, t, lo, hi in hours]
    for chunk in range(0, len(rows), 1000):
        db.session.execute(sql.upsert(ReadingHour, rows[chunk:chunk + 1000], keys=("sensor_id", "metric", "hour"),
                                      update=_merge_columns))
    moved = db.session.execute(delete(Reading).where(Reading.at < cutoff)).rowcount
    publish(Event(name="city.readings_rolled_up", payload={"readings": moved, "hours": len(rows)},
                  entity="readings", action="roll_up", changes={"before": [None, cutoff.isoformat()]}))
    return {"readings": moved, "hours": len(rows), "cutoff": cutoff}


def _merge_columns(table, excluded) -> dict:
    c = table.c
    return {"count": c["count"] + excluded["count"], "total": c["total"] + excluded["total"],
            "low": sql.least(c["low"], excluded["low"]), "high": sql.greatest(c["high"], excluded["high"])}

