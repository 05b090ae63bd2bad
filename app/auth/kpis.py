"""The auth domain's figures: new accounts per day."""

from __future__ import annotations

from app.auth import service
from app.core.metrics import Metric

METRICS = [Metric("auth.registrations", "New accounts", "auth", "count", daily=service.registrations_per_day)]
