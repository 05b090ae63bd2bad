"""Export datasets of the city domain: readings, traffic incidents, waste collections (SC-8, CR-4)."""

from __future__ import annotations

from app.city import service
from app.core.datasets import DATE_RANGE, Column, Dataset

STAFF = ("operator", "safety_officer", "admin")

DATASETS = [
    Dataset(name="readings", title="City sensor readings", rows=service.reading_rows, roles=STAFF, all_roles=STAFF,
            filters={"sensor_id": "a sensor id", "metric": "a metric name (pm25, vehicle_count, …)",
                     "zone": "a zone (somnath, …)", **DATE_RANGE},
            columns=[Column("at", "Time", 18, "datetime"), Column("sensor_id", "Sensor", 7, "int"),
                     Column("sensor", "Sensor name", 26), Column("zone", "Zone", 12), Column("metric", "Metric", 14),
                     Column("value", "Value", 10, "number"), Column("unit", "Unit", 8)]),
    Dataset(name="traffic_incidents", title="Traffic incidents", rows=service.incident_rows, roles=STAFF,
            all_roles=STAFF, filters=DATE_RANGE,
            columns=[Column("id", "ID", 6, "int"), Column("kind", "Kind", 12), Column("severity", "Severity", 9),
                     Column("status", "Status", 9), Column("segment_id", "Segment", 8, "int"),
                     Column("description", "Description", 40), Column("reported_at", "Reported", 18, "datetime"),
                     Column("resolved_at", "Resolved", 18, "datetime")]),
    Dataset(name="waste_collections", title="Waste collections", rows=service.collection_rows, roles=STAFF,
            all_roles=STAFF, filters=DATE_RANGE,
            columns=[Column("id", "ID", 6, "int"), Column("bin", "Bin", 24), Column("zone", "Zone", 12),
                     Column("stream", "Stream", 10), Column("status", "Status", 10),
                     Column("collected_at", "Collected", 18, "datetime"),
                     Column("weight_kg", "Weight (kg)", 10, "number"),
                     Column("recyclable_kg", "Recyclable (kg)", 12, "number"),
                     Column("cost", "Cost (INR)", 10, "money")]),
]
