"""The visitors domain's figures for `/reports/kpis` and `/reports/trends`."""

from __future__ import annotations

from app.core.metrics import Metric
from app.visitors import service

METRICS = [
    Metric("visitors.visitors_today", "Visitors checked in", "visitors", "people", daily=service.visitors_per_day),
    Metric("visitors.on_site", "Visitors on site now", "visitors", "people", current=service.on_site_count),
    Metric("visitors.overstays", "Visitors overstaying now", "visitors", "people", current=service.overstay_count),
]
