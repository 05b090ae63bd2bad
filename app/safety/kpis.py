"""The safety domain's figures for `/reports/kpis` and `/reports/trends`."""

from __future__ import annotations

from app.core.metrics import Metric
from app.safety import service

METRICS = [
    Metric("safety.incidents", "Incidents reported", "safety", "count", daily=service.incidents_reported),
    Metric("safety.sos", "SOS raised", "safety", "count", daily=service.sos_raised),
    Metric("safety.open_incidents", "Incidents open now", "safety", "count", current=service.open_incidents),
    Metric("safety.units_available", "Emergency units available now", "safety", "count",
           current=service.units_available),
    Metric("safety.open_high_risks", "Open high or extreme risks", "safety", "count", current=service.open_high_risks),
]
