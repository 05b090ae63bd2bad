"""Celery tasks of the parking domain: the daily reminder and the monthly reports (VP-8, VP-9)."""

from __future__ import annotations

from app.extensions import celery
from app.parking import service


@celery.task(name="tasks.parking.send_daily_reminders", acks_late=True)
def send_daily_reminders() -> int:
    """Remind users who have not parked for 7 days (18:00 city time; safe to run twice)."""
    return service.send_daily_reminders()


@celery.task(name="tasks.parking.send_monthly_reports", acks_late=True)
def send_monthly_reports(period: str | None = None) -> int:
    """Send last month's parking reports to users and admins (1st, 09:00 city time; resumable)."""
    return service.send_monthly_reports(period)
