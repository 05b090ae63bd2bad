"""Housekeeping: the outbox sweeper (every minute) and the nightly clean-up."""

from __future__ import annotations

from flask import current_app

from app.alerts import service as alerts_service
from app.auth import service as auth_service
from app.core import idempotency, notify
from app.extensions import celery
from app.reports import service as reports_service
from tasks.exports import RETRY


@celery.task(name="tasks.housekeeping.run", **RETRY)
def run_housekeeping() -> dict:
    """Forget sessions long over, old idempotency keys and expired exports."""
    return {"sessions_purged": auth_service.purge_old_sessions(),
            "idempotency_keys_purged": idempotency.purge_old_keys(),
            "exports_purged": reports_service.purge_expired_exports()}


@celery.task(name="tasks.housekeeping.sweep_outbox", acks_late=True)
def sweep_outbox() -> dict:
    """Send again work the broker lost or a dead worker left: notifications and exports (idempotent)."""
    cfg = current_app.config
    queued_for, running_for = cfg["OUTBOX_RESEND_SECONDS"], cfg["JOB_RUNNING_DEADLINE_SECONDS"]
    return {"notifications": notify.resend_stale(queued_for=queued_for, sending_for=running_for),
            "exports": reports_service.requeue_stale_exports(queued_for=queued_for, running_for=running_for)}


@celery.task(name="tasks.housekeeping.broadcast_system_update", acks_late=True)
def broadcast_system_update(message: str, level: str = "info") -> dict:
    """Send a `system_update` to every `city` subscriber (web processes relay it via Redis)."""
    return alerts_service.broadcast_system_update(message=message, level=level)
