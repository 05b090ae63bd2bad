"""Rows for the city's export datasets (readings, traffic incidents, waste collections), streamed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.city.catalogue import METRICS
from app.city.models import Reading, Sensor, TrafficIncident, WasteBin, WasteCollection
from app.core.errors import ValidationFailed
from app.extensions import db

STREAM = {"yield_per": 1000}


def _sensor_id(filters: dict) -> int | None:
    value = filters.get("sensor_id")
    if value in (None, ""):
        return None
    if not str(value).isdigit():
        raise ValidationFailed({"sensor_id": ["Use a sensor's numeric id."]})
    return int(value)


def _metric(filters: dict) -> str | None:
    value = filters.get("metric") or None
    if value is not None and value not in METRICS:
        raise ValidationFailed({"metric": [f"Unknown metric {value!r}."]})
    return value


def reading_rows(*, filters: dict, start: datetime | None = None, end: datetime | None = None):
    """Raw readings oldest first, with their sensor's name, zone and the metric's unit."""
    stmt = (select(Reading.at, Reading.sensor_id, Sensor.name, Sensor.zone, Reading.metric, Reading.value)
            .join(Sensor, Sensor.id == Reading.sensor_id).order_by(Reading.at, Reading.id))
    if (sensor_id := _sensor_id(filters)) is not None:
        stmt = stmt.where(Reading.sensor_id == sensor_id)
    if metric := _metric(filters):
        stmt = stmt.where(Reading.metric == metric)
    if filters.get("zone"):
        stmt = stmt.where(Sensor.zone == filters["zone"])
    if start:
        stmt = stmt.where(Reading.at >= start)
    if end:
        stmt = stmt.where(Reading.at < end)
    for at, sid, name, zone, metric_name, value in db.session.execute(stmt.execution_options(**STREAM)):
        yield {"at": at, "sensor_id": sid, "sensor": name, "zone": zone, "metric": metric_name, "value": value,
               "unit": METRICS[metric_name].unit}


def incident_rows(*, start: datetime | None = None, end: datetime | None = None):
    """Traffic incidents oldest first."""
    stmt = select(TrafficIncident).order_by(TrafficIncident.reported_at, TrafficIncident.id)
    if start:
        stmt = stmt.where(TrafficIncident.reported_at >= start)
    if end:
        stmt = stmt.where(TrafficIncident.reported_at < end)
    for i in db.session.scalars(stmt.execution_options(**STREAM)):
        yield {"id": i.id, "kind": i.kind, "severity": i.severity, "status": i.status, "segment_id": i.segment_id,
               "description": i.description, "reported_at": i.reported_at, "resolved_at": i.resolved_at}


def collection_rows(*, start: datetime | None = None, end: datetime | None = None):
    """Completed and scheduled collections with their bin, oldest first."""
    stmt = (select(WasteCollection, WasteBin.name, WasteBin.zone, WasteBin.stream)
            .join(WasteBin, WasteBin.id == WasteCollection.bin_id).order_by(WasteCollection.id))
    if start:
        stmt = stmt.where(WasteCollection.collected_at >= start)
    if end:
        stmt = stmt.where(WasteCollection.collected_at < end)
    for c, name, zone, stream in db.session.execute(stmt.execution_options(**STREAM)):
        yield {"id": c.id, "bin": name, "zone": zone, "stream": stream, "status": c.status,
               "collected_at": c.collected_at, "weight_kg": c.weight_kg, "recyclable_kg": c.recyclable_kg,
               "cost": c.cost}
