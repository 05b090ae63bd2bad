"""The signs domain's figures for `/reports/kpis` and `/reports/trends`."""

from __future__ import annotations

from app.core.metrics import Metric
from app.signs import service

METRICS = [
    Metric("signs.online_pct", "Signs online now", "signs", "%", current=service.online_pct),
    Metric("signs.overrides", "Sign overrides", "signs", "count", daily=service.overrides_activated),
    Metric("signs.messages", "Sign messages sent", "signs", "count", daily=service.messages_sent),
    Metric("signs.submissions_pending", "Submissions to moderate", "signs", "count",
           current=service.submissions_pending),
]
