"""The parking domain's figures for `/reports/kpis` and `/reports/trends`."""

from __future__ import annotations

from datetime import date

from app.core.daily import per_local_day
from app.parking.models import Reservation
from app.parking.stats import lot_occupancy
from app.reports.metrics import Metric, register_metrics


def cars_parked(first: date, last: date) -> dict:
    return per_local_day(Reservation.parked_at, first, last)


def revenue(first: date, last: date) -> dict:
    """Money taken per day: a stay's cost counts on the day the car left."""
    return per_local_day(Reservation.left_at, first, last, value=Reservation.cost)


def occupancy_pct() -> float:
    """Occupied share of every open lot's spots."""
    lots = lot_occupancy()
    total = sum(lot["total_spots"] for lot in lots)
    return round(100.0 * sum(lot["occupied"] for lot in lots) / total, 1) if total else 0.0


def register_kpis() -> None:
    register_metrics(
        Metric("parking.reservations", "Cars parked", "parking", "count", daily=cars_parked),
        Metric("parking.revenue", "Parking revenue", "parking", "INR", daily=revenue),
        Metric("parking.occupancy_pct", "Parking occupancy now", "parking", "%", current=occupancy_pct),
    )
