"""The city domain's figures for `/reports/kpis`, `/reports/trends` and `/city/dashboard`."""

from __future__ import annotations

from app.city import service
from app.core.metrics import Metric

METRICS = [
    Metric("city.worst_aqi", "Worst air quality index (CPCB) now", "city", "AQI", current=service.worst_aqi),
    Metric("city.congested_segments", "Road segments heavy or jammed now", "city", "count",
           current=service.congested_segments),
    Metric("city.traffic_incidents_open", "Open traffic incidents", "city", "count",
           current=service.active_traffic_incidents),
    Metric("city.traffic_incidents", "Traffic incidents reported", "city", "count", daily=service.incidents_per_day),
    Metric("city.bins_to_collect", "Bins waiting for collection", "city", "count", current=service.bins_to_collect),
    Metric("city.waste_collected_kg", "Waste collected", "city", "kg", daily=service.waste_kg_per_day),
    Metric("city.feeders_high", "Feeders above 80 % load", "city", "count", current=service.feeders_high),
]
