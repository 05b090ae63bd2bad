"""Deliver notifications with retries and exponential back-off."""

from __future__ import annotations

from flask import current_app

from app.core import notify
from app.core.timeutil import utcnow
from app.extensions import celery, db

MAX_RETRIES = 5


@celery.task(name="tasks.notifications.deliver", bind=True, max_retries=MAX_RETRIES, acks_late=True)
def deliver_notification(self, notification_id: int) -> str:
    """Send one queued notification; retry transient failures, record permanent ones."""
    note = db.session.get(notify.Notification, notification_id)
    if note is None or note.status == "sent":
        return "skipped"
    note.attempts += 1
    try:
        notify.PROVIDERS[note.channel](note)
    except notify.PermanentFailure as exc:
        return _finish(note, "failed", str(exc))
    except Exception as exc:
        if self.request.retries >= self.max_retries:
            return _finish(note, "failed", f"gave up after {note.attempts} attempts: {exc}")
        note.last_error = str(exc)[:2000]
        db.session.commit()
        raise self.retry(exc=exc, countdown=retry_delay(self.request.retries)) from exc
    return _finish(note, "sent", None)


def retry_delay(retries: int) -> float:
    """Exponential back-off: base, 2×base, 4×base … seconds (NOTIFY_BACKOFF_SECONDS), capped at 10 minutes."""
    base = current_app.config["NOTIFY_BACKOFF_SECONDS"]
    return min(600.0, base * (2 ** retries))


def _finish(note, status: str, error: str | None) -> str:
    note.status, note.last_error = status, error
    if status == "sent":
        note.sent_at = utcnow()
    db.session.commit()
    return status
