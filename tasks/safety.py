"""Celery tasks of the safety domain: escalation of unacknowledged emergencies, the weekly compliance digest."""

from __future__ import annotations

from app.extensions import celery
from app.safety import service


@celery.task(name="tasks.safety.escalate_unacknowledged", acks_late=True)
def escalate_unacknowledged() -> int:
    """Escalate critical incidents nobody acknowledged in time (every minute; each escalates once)."""
    return service.escalate_unacknowledged()


@celery.task(name="tasks.safety.send_compliance_digest", acks_late=True)
def send_compliance_digest() -> int:
    """E-mail the compliance digest to safety officers (runs daily; sends once per ISO week)."""
    return service.send_compliance_digest()
