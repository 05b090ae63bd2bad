"""Celery tasks of the signs domain: the sweep (beat backstop) and sample retention."""

from __future__ import annotations

from app.extensions import celery
from app.signs import service


@celery.task(name="tasks.signs.sweep", acks_late=True)
def sweep() -> dict:
    """Mark silent signs offline, revert expired overrides, push scheduled messages, flag missing acks."""
    return service.sweep()


@celery.task(name="tasks.signs.purge_samples", acks_late=True)
def purge_samples() -> int:
    """Drop sampled heartbeats past their retention."""
    return service.purge_samples()
