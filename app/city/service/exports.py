"""Rows for the city's export datasets (readings, traffic incidents, waste collections), streamed."""

from __future__ import annotations

from sqlalchemy import select

from app.city.catalogue import METRICS
from app.city.models import Reading, Sensor, TrafficIncident, WasteBin, WasteCollection
from app.core.datasets import date_range, filter_int
from app.core.errors import ValidationFailed
from app.extensions import db

STREAM = {"yield_per": 1000}


def _metric(filters: dict) -> str | None:
    value = filters.get("metric") or None
    if value is not None and value not in METRICS:
        raise ValidationFailed({"metric": [f"Unknown metric {value!r}."]})
    return value


def reading_rows(*, owner_id: int, is_admin: bool, filters: dict):
    """Raw readings oldest first, with their sensor's name, zone and the metric's unit."""
    stmt = (select(Reading.at, Reading.sensor_id, Sensor.name, Sensor.zone, Reading.metric, Reading.value)
            .join(Sensor, Sensor.id == Reading.sensor_id).order_by(Reading.at, Reading.id))
    if (sensor_id := filter_int(filters, "sensor_id")) is not None:
        stmt = stmt.where(Reading.sensor_id == sensor_id)
    if metric := _metric(filters):
        stmt = stmt.where(Reading.metric == metric)
    if filters.get("zone"):
        stmt = stmt.where(Sensor.zone == filters["zone"])
    stmt = date_range(stmt, filters, Reading.at)
    for at, sid, name, zone, metric_name, value in db.session.execute(stmt.execution_options(**STREAM)):
        yield {"at": at, "sensor_id": sid, "sensor": name, "zone": zone, "metric": metric_name, "value": value,
               "unit": METRICS[metric_name].unit}


def incident_rows(*, owner_id: int, is_admin: bool, filters: dict):
    """Traffic incidents oldest first."""
    stmt = select(TrafficIncident).order_by(TrafficIncident.reported_at, TrafficIncident.id)
    stmt = date_range(stmt, filters, TrafficIncident.reported_at)
    for i in db.session.scalars(stmt.execution_options(**STREAM)):
        yield {"id": i.id, "kind": i.kind, "severity": i.severity, "status": i.status, "segment_id": i.segment_id,
               "description": i.description, "reported_at": i.reported_at, "resolved_at": i.resolved_at}


def collection_rows(*, owner_id: int, is_admin: bool, filters: dict):
    """Completed and scheduled collections with their bin, oldest first."""
    stmt = (select(WasteCollection, WasteBin.name, WasteBin.zone, WasteBin.stream)
            .join(WasteBin, WasteBin.id == WasteCollection.bin_id).order_by(WasteCollection.id))
    stmt = date_range(stmt, filters, WasteCollection.collected_at)
    for c, name, zone, stream in db.session.execute(stmt.execution_options(**STREAM)):
        yield {"id": c.id, "bin": name, "zone": zone, "stream": stream, "status": c.status,
               "collected_at": c.collected_at, "weight_kg": c.weight_kg, "recyclable_kg": c.recyclable_kg,
               "cost": c.cost}
