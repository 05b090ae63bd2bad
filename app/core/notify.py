"""Notifications: e-mail (SMTP), chat webhooks and SMS behind one interface.

``send(channel, recipient, subject, body, ...)`` records a Notification row in the current
transaction and, after commit, hands it to the ``notifications`` Celery queue, which
delivers it with retries and exponential back-off. A permanent failure is recorded on the
row (status ``failed``, attempts, last error), never lost. ``dedupe_key`` makes a send
happen once: a second send with the same key returns the first row (reminders, reports).
"""

from __future__ import annotations

import base64
import json
import logging
import smtplib
from datetime import datetime
from email.message import EmailMessage

import requests
from flask import current_app
from sqlalchemy import JSON, Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column

from app.core.events import Event, publish, subscribe
from app.core.types import UTCDateTime
from app.extensions import db

log = logging.getLogger("sangam.notify")
CHANNELS = ("email", "chat", "sms")


class Notification(db.Model):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(10), index=True)
    recipient: Mapped[str] = mapped_column(String(500))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text)
    attachments: Mapped[list | None] = mapped_column(JSON)  # [{filename, mimetype, content_b64}]
    status: Mapped[str] = mapped_column(String(10), default="queued", index=True)  # queued|sent|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=func.now())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class PermanentFailure(Exception):
    """A send that retrying cannot fix (bad address, 4xx from a webhook)."""


def send(channel: str, recipient: str, subject: str, body: str, *, html: str | None = None,
         attachments: list[tuple[str, bytes, str]] | None = None, dedupe_key: str | None = None) -> Notification:
    """Queue a notification in the current transaction; delivered after commit."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    if dedupe_key:
        existing = db.session.scalar(select(Notification).where(Notification.dedupe_key == dedupe_key))
        if existing is not None:
            return existing
    files = [{"filename": n, "mimetype": m, "content_b64": base64.b64encode(c).decode()}
             for n, c, m in (attachments or [])]
    note = Notification(channel=channel, recipient=recipient, subject=subject[:200], body=body, html=html,
                        attachments=files or None, status="queued", attempts=0, dedupe_key=dedupe_key)
    db.session.add(note)
    db.session.flush()
    publish(Event(name="notify.queued", payload={"id": note.id}, audit=False))
    return note


def _enqueue(evt: Event) -> None:
    from tasks.notifications import deliver_notification

    deliver_notification.delay(evt.payload["id"])


def init_notify() -> None:
    subscribe(_enqueue, phase="after_commit", prefix="notify.queued")


# --- providers -------------------------------------------------------------------------

def send_email(note: Notification) -> None:
    cfg = current_app.config
    if not cfg["SMTP_HOST"]:
        log.info("e-mail (no SMTP_HOST, logged only) to=%s subject=%s", note.recipient, note.subject)
        return
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = cfg["MAIL_FROM"], note.recipient, note.subject
    msg.set_content(note.body)
    if note.html:
        msg.add_alternative(note.html, subtype="html")
    for item in note.attachments or []:
        maintype, _, subtype = item["mimetype"].partition("/")
        msg.add_attachment(base64.b64decode(item["content_b64"]), maintype=maintype, subtype=subtype,
                           filename=item["filename"])
    with smtplib.SMTP(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=10) as smtp:
        if cfg["SMTP_STARTTLS"]:
            smtp.starttls()
        if cfg["SMTP_USER"]:
            smtp.login(cfg["SMTP_USER"], cfg["SMTP_PASSWORD"])
        try:
            smtp.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            raise PermanentFailure(f"recipient refused: {exc.recipients}") from exc


def send_chat(note: Notification) -> None:
    """POST a Google Chat / Slack-compatible JSON message to the webhook URL (the recipient)."""
    text = f"*{note.subject}*\n{note.body}"
    response = requests.post(note.recipient, data=json.dumps({"text": text}),
                             headers={"Content-Type": "application/json"}, timeout=10)
    if 400 <= response.status_code < 500 and response.status_code != 429:
        raise PermanentFailure(f"webhook refused the message: HTTP {response.status_code}")
    response.raise_for_status()


def send_sms(note: Notification) -> None:
    """Send an SMS with the configured provider: ``log`` (default) or ``twilio`` (HTTP)."""
    cfg = current_app.config
    if cfg["SMS_PROVIDER"] == "log":
        log.info("sms (log provider) to=%s body=%s", note.recipient, note.body[:160])
        return
    url = cfg["SMS_API_URL"] or f"https://api.twilio.com/2010-04-01/Accounts/{cfg['SMS_ACCOUNT_SID']}/Messages.json"
    response = requests.post(url, data={"To": note.recipient, "From": cfg["SMS_FROM"], "Body": note.body[:1600]},
                             auth=(cfg["SMS_ACCOUNT_SID"], cfg["SMS_AUTH_TOKEN"]), timeout=10)
    if 400 <= response.status_code < 500 and response.status_code != 429:
        raise PermanentFailure(f"SMS provider refused the message: HTTP {response.status_code}")
    response.raise_for_status()


PROVIDERS = {"email": send_email, "chat": send_chat, "sms": send_sms}
