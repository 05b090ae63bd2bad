"""The temples domain's figures for `/reports/kpis` and `/reports/trends`."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.core.daily import per_local_day
from app.extensions import db
from app.reports.metrics import Metric, register_metrics
from app.temples.models import Booking, Zone


def bookings_made(first: date, last: date) -> dict:
    return per_local_day(Booking.created_at, first, last)


def pilgrims_booked(first: date, last: date) -> dict:
    return per_local_day(Booking.created_at, first, last, value=Booking.party_size)


def pilgrims_checked_in(first: date, last: date) -> dict:
    return per_local_day(Booking.checked_in_at, first, last, value=Booking.party_size)


def bookings_cancelled(first: date, last: date) -> dict:
    return per_local_day(Booking.cancelled_at, first, last)


def crowd_now() -> int:
    """People in every temple zone by each zone's latest reading."""
    return db.session.scalar(select(func.coalesce(func.sum(Zone.last_count), 0)))


def register_kpis() -> None:
    register_metrics(
        Metric("temples.bookings", "Darshan bookings made", "temples", "count", daily=bookings_made),
        Metric("temples.pilgrims_booked", "Pilgrims in bookings made", "temples", "people", daily=pilgrims_booked),
        Metric("temples.checked_in", "Pilgrims checked in at the gates", "temples", "people",
               daily=pilgrims_checked_in),
        Metric("temples.cancellations", "Bookings cancelled", "temples", "count", daily=bookings_cancelled),
        Metric("temples.crowd_now", "People in temple zones now", "temples", "people", current=crowd_now),
    )
