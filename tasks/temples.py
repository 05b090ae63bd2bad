"""Celery tasks of the temples domain (beat: tasks/schedule.py)."""

from __future__ import annotations

from app.extensions import celery
from app.temples import service


@celery.task(name="tasks.temples.send_booking_reminders", acks_late=True)
def send_booking_reminders() -> int:
    """Remind pilgrims about two hours before their darshan (once per booking)."""
    return service.send_booking_reminders()


@celery.task(name="tasks.temples.remind_maintenance_due", acks_late=True)
def remind_maintenance_due() -> int:
    """Tell operators about resource maintenance due in the next 7 days."""
    return service.remind_maintenance_due(within_days=7)
