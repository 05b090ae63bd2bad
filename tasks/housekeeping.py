"""Nightly housekeeping: old token revocations and expired export files."""

from __future__ import annotations

from app.alerts import service as alerts_service
from app.auth import service as auth_service
from app.extensions import celery
from app.reports import service as reports_service
from tasks.exports import RETRY


@celery.task(name="tasks.housekeeping.run", **RETRY)
def run_housekeeping() -> dict:
    """Drop revocations of tokens that have expired anyway, and expired exports."""
    return {"revocations_purged": auth_service.purge_expired_revocations(),
            "exports_purged": reports_service.purge_expired_exports()}


@celery.task(name="tasks.housekeeping.broadcast_system_update", acks_late=True)
def broadcast_system_update(message: str, level: str = "info") -> dict:
    """Send a `system_update` to every `city` subscriber (web processes relay it via Redis)."""
    return alerts_service.broadcast_system_update(message=message, level=level)
