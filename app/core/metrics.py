"""The KPI registry: each domain declares its figures once (``kpis.py``); reports reads them all.

    METRICS = [
        Metric("parking.revenue", "Parking revenue", "parking", "INR", daily=revenue_per_day),
        Metric("parking.occupancy_pct", "Parking occupancy now", "parking", "%", current=occupancy_pct),
    ]

``daily(first, last) -> {date: value}`` (days without data may be absent) makes a KPI (the day
against the day before) and a trend (one point per local day); ``current() -> value`` is a live
gauge with no trend.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Metric:
    name: str
    title: str
    domain: str
    unit: str  # "count", "INR", "%", "people", or a physical unit
    daily: Callable[[date, date], dict] | None = None
    current: Callable[[], int | float | Decimal | None] | None = None


_metrics: dict[str, Metric] = {}


def register_metrics(*metrics: Metric) -> None:
    """Add figures to the registry (exactly one of ``daily`` and ``current`` each)."""
    for metric in metrics:
        if (metric.daily is None) == (metric.current is None):
            raise ValueError(f"metric {metric.name}: give exactly one of daily= or current=")
        _metrics[metric.name] = metric


def all_metrics() -> dict[str, Metric]:
    return dict(_metrics)
