"""Deliver notifications with retries and exponential back-off (queue ``notifications``)."""

from __future__ import annotations

from app.core import notify
from app.extensions import celery

MAX_RETRIES = 5


@celery.task(name="tasks.notifications.deliver", bind=True, max_retries=MAX_RETRIES, acks_late=True)
def deliver_notification(self, notification_id: int) -> str:
    """Send one queued notification; retry transient failures, record permanent ones."""
    try:
        return notify.deliver(notification_id, retries=self.request.retries, max_retries=self.max_retries)
    except notify.RetryLater as exc:
        raise self.retry(exc=exc, countdown=exc.delay) from exc
