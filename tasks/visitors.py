"""Celery tasks of the visitors domain: the overstay reminder (beat, every five minutes)."""

from __future__ import annotations

from app.extensions import celery
from app.visitors import service


@celery.task(name="tasks.visitors.remind_overstays", acks_late=True)
def remind_overstays() -> int:
    """Ask hosts to sign out visitors still inside 30 minutes after their pass ended (safe to run twice)."""
    return service.remind_overstays()
