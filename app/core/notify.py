"""Notifications: e-mail (SMTP), chat webhooks, SMS and voice calls behind one interface.

``send(channel, recipient, subject, body, ...)`` records a Notification row in the current
transaction and, after commit, hands it to the ``notifications`` Celery queue, which delivers it
with retries and exponential back-off. The row is the outbox: ``queued`` → ``sending`` (claimed by
one worker with a conditional UPDATE) → ``sent`` or ``failed`` (attempts and last error kept, never
lost). Rows left ``queued`` (the broker was down) or ``sending`` (a worker died) are sent again by
``resend_stale``. ``dedupe_key`` makes a send happen once (reminders, reports).
"""

from __future__ import annotations

import base64
import json
import logging
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from xml.sax.saxutils import escape

import requests
from flask import current_app
from sqlalchemy import JSON, Integer, String, Text, func, select, update
from sqlalchemy.orm import Mapped, mapped_column

from app.core import jobs
from app.core.events import transactional
from app.core.states import transition
from app.core.timeutil import utcnow
from app.core.types import UTCDateTime
from app.extensions import db

log = logging.getLogger("sangam.notify")
CHANNELS = ("email", "chat", "sms", "voice")
TASK = "tasks.notifications.deliver"


class Notification(db.Model):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(10), index=True)
    recipient: Mapped[str] = mapped_column(String(500))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text)
    attachments: Mapped[list | None] = mapped_column(JSON)  # [{filename, mimetype, content_b64}]
    status: Mapped[str] = mapped_column(String(10), default="queued", index=True)  # queued|sending|sent|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=func.now())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    enqueued_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)


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
                        attachments=files or None, status="queued", attempts=0, dedupe_key=dedupe_key,
                        enqueued_at=utcnow())
    db.session.add(note)
    db.session.flush()
    jobs.enqueue(TASK, note.id)
    return note


class RetryLater(Exception):
    """A transient failure: the worker retries after ``delay`` seconds."""

    def __init__(self, error: str, delay: float):
        super().__init__(error)
        self.delay = delay


def retry_delay(retries: int) -> float:
    """Exponential back-off: base, 2×base, 4×base … seconds (NOTIFY_BACKOFF_SECONDS), capped at 10 minutes."""
    return min(600.0, current_app.config["NOTIFY_BACKOFF_SECONDS"] * (2 ** retries))


@transactional
def _claim(notification_id: int) -> Notification | None:
    now = utcnow()
    if not transition(Notification, notification_id, from_="queued", to="sending", values={"enqueued_at": now}):
        return None
    note = db.session.get(Notification, notification_id)
    note.attempts += 1
    return note


@transactional
def _finish(notification_id: int, status: str, error: str | None, retry_at=None) -> str:
    values = {"last_error": error[:2000] if error else None}
    if status == "sent":
        values["sent_at"] = utcnow()
    if retry_at is not None:
        values["enqueued_at"] = retry_at
    transition(Notification, notification_id, from_="sending", to=status, values=values)
    return status


def deliver(notification_id: int, *, retries: int, max_retries: int) -> str:
    """Send one queued notification (claimed by this worker alone); raise RetryLater on a transient failure."""
    note = _claim(notification_id)
    if note is None:
        return "skipped"
    try:
        PROVIDERS[note.channel](note)
    except PermanentFailure as exc:
        return _finish(note.id, "failed", str(exc))
    except Exception as exc:  # network, 5xx, 429: try again later
        if retries >= max_retries:
            return _finish(note.id, "failed", f"gave up after {note.attempts} attempts: {exc}")
        delay = retry_delay(retries)
        _finish(note.id, "queued", str(exc), retry_at=utcnow() + timedelta(seconds=delay))
        raise RetryLater(str(exc), delay) from exc
    return _finish(note.id, "sent", None)


def resend_stale(*, queued_for: float, sending_for: float) -> int:
    """Send again what the broker lost (queued too long) or a dead worker left (sending too long)."""
    now = utcnow()
    stale = db.session.execute(select(Notification.id, Notification.enqueued_at).where(
        ((Notification.status == "queued") & (Notification.enqueued_at < now - timedelta(seconds=queued_for)))
        | ((Notification.status == "sending") & (Notification.enqueued_at < now - timedelta(seconds=sending_for))))
        .order_by(Notification.id).limit(1000)).all()
    db.session.rollback()
    return sum(_resend(note_id, seen, now) for note_id, seen in stale)


@transactional
def _resend(note_id: int, seen, now) -> int:
    """Take one stale row for this sweeper: the UPDATE matches only if nobody touched it since we looked."""
    claimed = db.session.execute(update(Notification).where(
        Notification.id == note_id, Notification.enqueued_at == seen, Notification.status.in_(("queued", "sending")))
        .values(status="queued", enqueued_at=now)).rowcount == 1
    if claimed:
        jobs.enqueue(TASK, note_id)
    return int(claimed)


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
    _twilio_post(url, {"To": note.recipient, "From": cfg["SMS_FROM"], "Body": note.body[:1600]}, "SMS")


def _twilio_post(url: str, data: dict, what: str) -> None:
    cfg = current_app.config
    response = requests.post(url, data=data, auth=(cfg["SMS_ACCOUNT_SID"], cfg["SMS_AUTH_TOKEN"]), timeout=10)
    if 400 <= response.status_code < 500 and response.status_code != 429:
        raise PermanentFailure(f"{what} provider refused the message: HTTP {response.status_code}")
    response.raise_for_status()


def send_voice(note: Notification) -> None:
    """Place a text-to-speech call (Twilio-compatible Calls API with TwiML ``<Say>``)."""
    cfg = current_app.config
    if cfg["SMS_PROVIDER"] == "log":
        log.info("voice call (log provider) to=%s text=%s", note.recipient, note.body[:160])
        return
    base = cfg["SMS_API_URL"].rsplit("/Messages.json", 1)[0] if cfg["SMS_API_URL"] else \
        f"https://api.twilio.com/2010-04-01/Accounts/{cfg['SMS_ACCOUNT_SID']}"
    url = cfg.get("VOICE_API_URL") or f"{base}/Calls.json"
    twiml = f"<Response><Say>{escape(note.body[:1500])}</Say></Response>"
    _twilio_post(url, {"To": note.recipient, "From": cfg["SMS_FROM"], "Twiml": twiml}, "voice")


PROVIDERS = {"email": send_email, "chat": send_chat, "sms": send_sms, "voice": send_voice}
