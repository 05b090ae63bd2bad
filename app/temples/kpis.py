"""The temples domain's figures for `/reports/kpis` and `/reports/trends`."""

from __future__ import annotations

from app.core.metrics import Metric
from app.temples import service

METRICS = [
    Metric("temples.bookings", "Darshan bookings made", "temples", "count", daily=service.bookings_made),
    Metric("temples.pilgrims_booked", "Pilgrims in bookings made", "temples", "people", daily=service.pilgrims_booked),
    Metric("temples.checked_in", "Pilgrims checked in at the gates", "temples", "people",
           daily=service.pilgrims_checked_in),
    Metric("temples.cancellations", "Bookings cancelled", "temples", "count", daily=service.bookings_cancelled),
    Metric("temples.crowd_now", "People in temple zones now", "temples", "people", current=service.crowd_now),
]
