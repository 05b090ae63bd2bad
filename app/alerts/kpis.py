"""The alerts domain's figures for `/reports/kpis` and `/reports/trends`."""

from __future__ import annotations

from datetime import date

from app.alerts.models import Alert
from app.alerts.service import active_alert_views
from app.core.daily import per_local_day
from app.reports.metrics import Metric, register_metrics


def alerts_raised(first: date, last: date) -> dict:
    return per_local_day(Alert.created_at, first, last)


def critical_alerts_raised(first: date, last: date) -> dict:
    return per_local_day(Alert.created_at, first, last, Alert.severity == "critical")


def active_alerts() -> int:
    return len(active_alert_views())


def register_kpis() -> None:
    register_metrics(
        Metric("alerts.raised", "Alerts raised", "alerts", "count", daily=alerts_raised),
        Metric("alerts.critical", "Critical alerts raised", "alerts", "count", daily=critical_alerts_raised),
        Metric("alerts.active", "Alerts active now", "alerts", "count", current=active_alerts),
    )
