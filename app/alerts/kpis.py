"""The alerts domain's figures for `/reports/kpis` and `/reports/trends`."""

from __future__ import annotations

from app.alerts import service
from app.core.metrics import Metric

METRICS = [
    Metric("alerts.raised", "Alerts raised", "alerts", "count", daily=service.alerts_per_day),
    Metric("alerts.critical", "Critical alerts raised", "alerts", "count", daily=service.critical_alerts_per_day),
    Metric("alerts.active", "Alerts active now", "alerts", "count", current=service.active_alert_count),
]
