"""Celery beat schedule, in the city's time zone (Asia/Kolkata). Run exactly one beat.

The platform's own jobs are listed here; each domain's come from its ``Domain(beat=...)``
declaration. Every job is idempotent anyway (a duplicate beat must not double-send).
"""

from __future__ import annotations

from celery.schedules import crontab

from app.core.domain import beat_schedule

PLATFORM = {
    "housekeeping": {"task": "tasks.housekeeping.run", "schedule": crontab(hour=3, minute=30)},
    "outbox-sweeper": {"task": "tasks.housekeeping.sweep_outbox", "schedule": 60.0},
}


def build_schedule() -> dict:
    """The platform's entries and every discovered domain's (call after create_app)."""
    return {**PLATFORM, **beat_schedule()}
