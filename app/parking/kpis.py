"""The parking domain's figures for `/reports/kpis` and `/reports/trends`."""

from __future__ import annotations

from app.core.metrics import Metric
from app.parking import service

METRICS = [
    Metric("parking.reservations", "Cars parked", "parking", "count", daily=service.cars_parked),
    Metric("parking.revenue", "Parking revenue", "parking", "INR", daily=service.revenue),
    Metric("parking.occupancy_pct", "Parking occupancy now", "parking", "%", current=service.occupancy_pct),
]
