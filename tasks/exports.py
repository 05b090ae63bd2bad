"""Background exports and scheduled reports (queue ``exports``, see ``task_routes``)."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from app.extensions import celery
from app.reports import service

# Both tasks are idempotent (a job another worker holds or finished is skipped; a sent schedule is not
# due again), so a lost database connection is retried with back-off, and a worker lost mid-task redelivers it.
RETRY = {"acks_late": True, "autoretry_for": (OperationalError,), "retry_backoff": 5, "max_retries": 3}


@celery.task(name="tasks.exports.run", **RETRY)
def run_export_task(job_id: int) -> str:
    """Render one export job to its file (safe to run twice)."""
    return service.run_export(job_id)


@celery.task(name="tasks.exports.run_due_schedules", **RETRY)
def run_due_schedules_task() -> int:
    """Send the scheduled reports whose time has come."""
    return service.run_due_schedules()
