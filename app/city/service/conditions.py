"""Noise and weather summaries per zone: the latest value and the last 24 hours' mean, low and high.

Noise is judged against the CPCB Noise Rules (2000) limits of a silence zone — the 100 m around a
place of worship — 50 dB(A) by day (06–22 local) and 40 dB(A) at night.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.city.catalogue import METRICS
from app.city.models import LatestReading, Reading, Sensor
from app.core.timeutil import to_local, utcnow
from app.extensions import db

SUMMARY_METRICS = ("noise_db", "temperature", "humidity")
NOISE_LIMITS_DB = {"day": 50, "night": 40}


def _latest(zone_sensors: dict[int, str]) -> dict[tuple[str, str], float]:
    stmt = select(LatestReading.sensor_id, LatestReading.metric, LatestReading.value).where(
        LatestReading.sensor_id.in_(zone_sensors), LatestReading.metric.in_(SUMMARY_METRICS))
    grouped: dict[tuple[str, str], list[float]] = {}
    for sid, metric, value in db.session.execute(stmt):
        grouped.setdefault((zone_sensors[sid], metric), []).append(value)
    return {k: round(sum(v) / len(v), 1) for k, v in grouped.items()}


def _day(zone_sensors: dict[int, str]):
    since = utcnow() - timedelta(hours=24)
    stmt = (select(Sensor.zone, Reading.metric, func.avg(Reading.value), func.min(Reading.value),
                   func.max(Reading.value), func.count())
            .join(Sensor, Sensor.id == Reading.sensor_id)
            .where(Reading.sensor_id.in_(zone_sensors), Reading.metric.in_(SUMMARY_METRICS), Reading.at >= since)
            .group_by(Sensor.zone, Reading.metric))
    return db.session.execute(stmt).all()


def summaries(*, zone: str | None = None) -> list[dict]:
    """Per zone: noise (with the silence-zone limit now in force) and weather figures."""
    stmt = select(Sensor.id, Sensor.zone).where(Sensor.kind.in_(("noise", "weather", "air")),
                                                Sensor.is_active.is_(True))
    if zone:
        stmt = stmt.where(Sensor.zone == zone)
    zone_sensors = dict(db.session.execute(stmt).all())
    latest, out = _latest(zone_sensors), {}
    for z, metric, avg, low, high, count in _day(zone_sensors):
        out.setdefault(z, {})[metric] = {"unit": METRICS[metric].unit, "latest": latest.get((z, metric)),
                                         "mean_24h": round(avg, 1), "min_24h": low, "max_24h": high,
                                         "readings_24h": count}
    period = "day" if 6 <= to_local(utcnow()).hour < 22 else "night"
    return [_zone_summary(z, figures, period) for z, figures in sorted(out.items())]


def _zone_summary(zone: str, figures: dict, period: str) -> dict:
    noise = figures.get("noise_db")
    if noise is not None:
        limit = NOISE_LIMITS_DB[period]
        noise = {**noise, "limit_db": limit, "period": period,
                 "above_limit": noise["latest"] is not None and noise["latest"] > limit}
    return {"zone": zone, "noise": noise, "weather": {m: figures[m] for m in ("temperature", "humidity")
                                                      if m in figures}}
