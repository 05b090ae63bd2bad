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


@celery.task(name="tasks.temples.admit_release", queue="releases", acks_late=True, ignore_result=True)
def admit_release(release_id: int) -> int:
    """Admit a quota release's waiting tickets in arrival order, then hand over to a fresh task while some wait."""
    return service.serve_release(release_id=release_id)


@celery.task(name="tasks.temples.sweep_releases", acks_late=True, ignore_result=True)
def sweep_releases() -> int:
    """Open releases whose time has come and make sure every open queue with waiting tickets is served."""
    return service.sweep_releases()
