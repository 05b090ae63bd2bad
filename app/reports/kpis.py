"""The reports domain's figures: exports requested per day."""

from __future__ import annotations

from app.core.metrics import Metric
from app.reports import service

METRICS = [Metric("reports.exports", "Exports requested", "reports", "count", daily=service.exports_per_day)]
