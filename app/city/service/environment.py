"""Environment (SC-4): AQI per zone by the CPCB method, alerts on rising categories, trends, noise and weather.

A zone's pollutant concentration for an hour is the mean of its air sensors' hourly means;
the averaging window (24 h, or 8 h for CO and O3) ending at the zone's newest reading takes the mean
of those hourly means, when enough hours have data. When a zone's category rises, the rise is claimed
with one conditional UPDATE, so two concurrent batches raise one ``environment_alert``; from "Poor"
up a platform alert is raised as well (warning; critical from "Very Poor").
"""

from __future__ import annotations

from datetime import datetime, timedelta
from statistics import fmean

from flask import current_app
from sqlalchemy import func, or_, select, update

from app.city import aqi as cpcb
from app.city import events, sql
from app.city.catalogue import METRICS, POLLUTANTS
from app.city.errors import ZoneNotFound
from app.city.models import AirZone, LatestReading, Reading, Sensor
from app.core.events import transactional
from app.core.timeutil import utcnow
from app.extensions import db


def _air_sensors(zone: str) -> list[Sensor]:
    stmt = select(Sensor).where(Sensor.kind == "air", Sensor.zone == zone, Sensor.is_active.is_(True))
    return list(db.session.scalars(stmt))


def air_zones() -> list[str]:
    """Zones that have air sensors."""
    stmt = select(Sensor.zone).where(Sensor.kind == "air", Sensor.is_active.is_(True)).distinct().order_by(Sensor.zone)
    return list(db.session.scalars(stmt))


def _newest(sensor_ids: list[int]) -> datetime | None:
    stmt = select(func.max(LatestReading.at)).where(LatestReading.sensor_id.in_(sensor_ids),
                                                    LatestReading.metric.in_(POLLUTANTS))
    return db.session.scalar(stmt)


def _hourly_means(sensor_ids: list[int], end: datetime) -> dict[str, list[tuple[int, float]]]:
    """Per pollutant and hour, the mean of each sensor's hourly mean (a station reporting every minute
    weighs no more than one reporting every quarter hour)."""
    hour = sql.bucket_epoch(Reading.at, 3600).label("hour")
    per_sensor = (select(Reading.metric.label("metric"), hour, func.avg(Reading.value).label("mean"))
                  .where(Reading.sensor_id.in_(sensor_ids), Reading.metric.in_(POLLUTANTS),
                         Reading.at > end - timedelta(hours=24), Reading.at <= end)
                  .group_by(Reading.sensor_id, Reading.metric, hour).subquery())
    stmt = select(per_sensor.c.metric, per_sensor.c.hour, func.avg(per_sensor.c.mean)).group_by(
        per_sensor.c.metric, per_sensor.c.hour)
    out: dict[str, list[tuple[int, float]]] = {}
    for metric, h, mean in db.session.execute(stmt):
        out.setdefault(metric, []).append((int(h), float(mean)))
    return out


def _window_averages(hourly: dict[str, list[tuple[int, float]]], end: datetime) -> dict[str, float]:
    averages = {}
    for pollutant, points in hourly.items():
        since = end.timestamp() - cpcb.AVERAGING_HOURS[pollutant] * 3600
        mean = cpcb.window_mean(pollutant, [v for h, v in points if h + 3600 > since])
        if mean is not None:
            averages[pollutant] = round(mean, 2)
    return averages


def zone_air_quality(zone: str) -> dict:
    """The CPCB AQI of a zone now: ``{zone, aqi, category, colour, dominant_pollutant, sub_indices, …}``."""
    sensors = _air_sensors(zone)
    if not sensors:
        raise ZoneNotFound(f"No air sensors in zone {zone!r}.")
    ids = [s.id for s in sensors]
    at = _newest(ids)
    averages = _window_averages(_hourly_means(ids, at), at) if at else {}
    quality = cpcb.air_quality(averages)
    category = quality.category
    return {"zone": zone, "aqi": quality.aqi, "category": category.name if category else None,
            "colour": category.colour if category else None, "dominant_pollutant": quality.dominant_pollutant,
            "sub_indices": quality.sub_indices,
            "concentrations": {p: {"value": v, "unit": METRICS[p].unit, "hours": cpcb.AVERAGING_HOURS[p]}
                               for p, v in averages.items()},
            "health_advice": category.health_advice if category else None,
            "status": "ok" if quality.known else "insufficient_data", "at": at,
            "lat": round(fmean(s.lat for s in sensors), 6), "lng": round(fmean(s.lng for s in sensors), 6)}


def air_quality_overview() -> list[dict]:
    """The AQI of every zone with air sensors."""
    return [zone_air_quality(zone) for zone in air_zones()]


@transactional
def evaluate_zones(*, zones: set[str], force: bool = False) -> list[dict]:
    """Recompute these zones' AQI (each at most once per AQI_EVALUATE_SECONDS unless forced); alert on rises."""
    now = utcnow()
    return [_evaluate(zone) for zone in sorted(zones) if force or _claim_evaluation(zone, now)]


def _claim_evaluation(zone: str, now: datetime) -> bool:
    """True for the one transaction that may evaluate the zone now (a plain read first: no lock when not due)."""
    since = now - timedelta(seconds=current_app.config["AQI_EVALUATE_SECONDS"])
    last = db.session.execute(select(AirZone.evaluated_at).where(AirZone.zone == zone)).first()
    if last is None:
        db.session.execute(sql.insert_ignore(AirZone, [{"zone": zone, "rank": 0}], keys=("zone",)))
    elif last[0] is not None and last[0] > since:
        return False
    claim = (update(AirZone).where(AirZone.zone == zone, or_(AirZone.evaluated_at.is_(None),
                                                             AirZone.evaluated_at <= since))
             .values(evaluated_at=now).execution_options(synchronize_session=False))
    return db.session.execute(claim).rowcount == 1


def _evaluate(zone: str) -> dict:
    state = zone_air_quality(zone)
    if state["aqi"] is None:
        return state
    category = cpcb.category_for(state["aqi"])
    previous = db.session.scalar(select(AirZone.category).where(AirZone.zone == zone))
    values = {"rank": category.rank, "category": category.name, "aqi": state["aqi"], "at": state["at"]}
    rose = db.session.execute(update(AirZone).where(AirZone.zone == zone, AirZone.rank < category.rank)
                              .values(**values).execution_options(synchronize_session=False)).rowcount == 1
    if rose:
        _alert(state, category, previous)
    else:
        db.session.execute(update(AirZone).where(AirZone.zone == zone, AirZone.rank >= category.rank)
                           .values(**values).execution_options(synchronize_session=False))
    return state


def _alert(state: dict, category: cpcb.Category, previous: str | None) -> None:
    events.environment_alert(zone=state["zone"], aqi=state["aqi"], category=category.name, previous_category=previous,
                             dominant_pollutant=state["dominant_pollutant"], severity=category.severity,
                             lat=state["lat"], lng=state["lng"], at=state["at"])
    if category.rank >= cpcb.POOR.rank:
        from app.alerts import service as alerts

        alerts.create_alert(scope="city", severity=category.severity, source="city.environment",
                            title=f"Air quality {category.name} in {state['zone']}",
                            message=f"AQI {state['aqi']} ({METRICS[state['dominant_pollutant']].title} dominant). "
                                    f"{category.health_advice}")


def trends(*, metric: str, start: datetime, end: datetime, zone: str | None = None) -> dict:
    """Hourly (up to three days) or daily means per zone of one environmental metric."""
    from app.city.service.series import zone_series

    kinds = ("air", "noise", "weather")
    stmt = select(Sensor.zone, Sensor.id).where(Sensor.kind.in_(kinds), Sensor.is_active.is_(True))
    if zone:
        stmt = stmt.where(Sensor.zone == zone)
    by_zone: dict[str, list[int]] = {}
    for z, sid in db.session.execute(stmt.order_by(Sensor.zone)):
        by_zone.setdefault(z, []).append(sid)
    bucket = "1h" if end - start <= timedelta(days=3) else "1d"
    return {"metric": metric, "unit": METRICS[metric].unit, "bucket": bucket, "from": start, "to": end,
            "zones": [{"zone": z, "series": zone_series(sensor_ids=ids, metric=metric, start=start, end=end,
                                                        bucket=bucket)} for z, ids in by_zone.items()]}
