"""City sensors: register them (optionally bound to an auth device of kind ``sensor``) and read their state."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from app.auth import service as auth_service
from app.city import events
from app.city.catalogue import KINDS, METRICS
from app.city.errors import SensorNotFound
from app.city.models import LatestReading, Sensor
from app.core.errors import NotFound, ValidationFailed
from app.core.events import transactional
from app.core.timeutil import utcnow
from app.extensions import db


def _check_device(device_id: int | None) -> None:
    if device_id is None:
        return
    try:
        device = auth_service.get_device(device_id)
    except NotFound as exc:
        raise ValidationFailed({"device_id": ["No device with this id."]}) from exc
    if device.kind != "sensor" or not device.is_active:
        raise ValidationFailed({"device_id": ["The device must be an active device of kind sensor."]})


@transactional
def create_sensor(*, kind: str, name: str, lat: float, lng: float, zone: str, device_id: int | None = None) -> Sensor:
    """Register a sensor; its readings are accepted only with its device's key."""
    if kind not in KINDS:
        raise ValidationFailed({"kind": [f"Must be one of: {', '.join(KINDS)}."]})
    _check_device(device_id)
    sensor = Sensor(kind=kind, name=name.strip(), lat=lat, lng=lng, zone=zone.strip(), device_id=device_id,
                    is_active=True, created_at=utcnow())
    db.session.add(sensor)
    db.session.flush()
    events.changed("sensor_created", "sensor", sensor.id, "create",
                   {"kind": [None, kind], "name": [None, sensor.name], "device_id": [None, device_id]})
    return sensor


def get_sensor(sensor_id: int) -> Sensor:
    """Return a sensor or raise 404 sensor_not_found."""
    sensor = db.session.get(Sensor, sensor_id)
    if sensor is None:
        raise SensorNotFound()
    return sensor


def list_sensors(*, kind: str | None = None, zone: str | None = None):
    """A select of active sensors, by id, filtered by kind and zone."""
    stmt = select(Sensor).where(Sensor.is_active.is_(True)).order_by(Sensor.id)
    if kind:
        stmt = stmt.where(Sensor.kind == kind)
    if zone:
        stmt = stmt.where(Sensor.zone == zone)
    return stmt


def latest_by_sensor(sensor_ids: list[int]) -> dict[int, dict[str, dict]]:
    """{sensor_id: {metric: {value, unit, at}}} of the newest readings."""
    out: dict[int, dict[str, dict]] = defaultdict(dict)
    if not sensor_ids:
        return out
    stmt = select(LatestReading).where(LatestReading.sensor_id.in_(sensor_ids))
    for row in db.session.scalars(stmt):
        out[row.sensor_id][row.metric] = {"value": row.value, "unit": METRICS[row.metric].unit, "at": row.at}
    return out


def sensor_views(sensors: list[Sensor]) -> list[dict]:
    """Sensors with their last reading per metric and ``last_seen_at`` (dumped by SensorSchema)."""
    latest = latest_by_sensor([s.id for s in sensors])
    views = []
    for s in sensors:
        mine = latest.get(s.id, {})
        views.append({**{c.key: getattr(s, c.key) for c in Sensor.__table__.columns}, "latest": mine,
                      "last_seen_at": max((m["at"] for m in mine.values()), default=None)})
    return views


def sensor_view(sensor_id: int) -> dict:
    """One sensor with its latest values."""
    return sensor_views([get_sensor(sensor_id)])[0]


def latest_values(sensor_ids, metric: str) -> dict[int, tuple[float, object]]:
    """{sensor_id: (value, at)} of one metric's newest reading."""
    stmt = select(LatestReading.sensor_id, LatestReading.value, LatestReading.at).where(
        LatestReading.sensor_id.in_(list(sensor_ids)), LatestReading.metric == metric)
    return {sid: (value, at) for sid, value, at in db.session.execute(stmt)}
