"""Public warnings (SC-7): one action raises a platform alert, overrides the area's festival signs and
sends SMS to the configured list; the audit log keeps who sent what.

The festival-signs override goes through the signs domain's service: every sign of the area shows
the warning at once, and the broadcast records the override with how many signs it reached and
acknowledged (the counts grow as signs answer: GET /city/signs/overrides/{id}).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.alerts import service as alerts_service
from app.core import notify
from app.core.context import current_actor
from app.core.errors import ValidationFailed
from app.core.events import transactional
from app.core.timeutil import utcnow
from app.extensions import db
from app.safety import events
from app.safety.models import Broadcast
from app.safety.service.common import place, recipient_key, setting
from app.signs import service as signs_service

SMS_LIMIT = 300


def _override_signs(broadcast: Broadcast) -> dict:
    """Override the festival signs of the broadcast's area; the override's delivery as plain data."""
    result = signs_service.broadcast_override(severity=broadcast.severity, title=broadcast.title,
                                              message=broadcast.message, scope=broadcast.scope,
                                              temple=broadcast.temple, zone=broadcast.zone,
                                              expires_at=broadcast.expires_at)
    expires = result.get("expires_at")
    return {**result, "expires_at": expires.isoformat() if hasattr(expires, "isoformat") else expires}


def _send_sms(broadcast: Broadcast) -> int:
    text = f"{broadcast.severity.upper()}: {broadcast.title}. {broadcast.message}"[:SMS_LIMIT]
    phones = sorted(set(setting("BROADCAST_SMS")))
    for phone in phones:
        notify.send("sms", phone, broadcast.title, text, dedupe_key=recipient_key("broadcast", broadcast.id, phone))
    return len(phones)


def _raise_alert(broadcast: Broadcast) -> None:
    alert = alerts_service.create_alert(scope=broadcast.scope, severity=broadcast.severity, title=broadcast.title,
                                        message=broadcast.message, temple_id=broadcast.temple_id,
                                        temple=broadcast.temple, zone=broadcast.zone,
                                        expires_at=broadcast.expires_at, source="safety")
    broadcast.alert_id = alert.id


@transactional
def send_broadcast(*, severity: str, title: str, message: str, scope: str, channels: list[str],
                   temple=None, zone=None, expires_at: datetime | None = None) -> Broadcast:
    """Send a public warning on the chosen channels (app alert, SMS, festival signs)."""
    if expires_at is not None and expires_at <= utcnow():
        raise ValidationFailed({"expires_at": ["Must be in the future."]})
    temple_id, slug, zone = place(temple, zone if scope == "zone" else None)
    actor = current_actor()
    broadcast = Broadcast(severity=severity, title=title, message=message, scope=scope, temple_id=temple_id,
                          temple=slug, zone=zone, channels=list(channels), expires_at=expires_at, sms_sent=0,
                          sent_by_id=actor.id if actor.kind == "user" else None, sent_at=utcnow())
    db.session.add(broadcast)
    db.session.flush()
    if "app" in channels:
        _raise_alert(broadcast)
    if "signs" in channels:
        broadcast.sign_override = _override_signs(broadcast)
    if "sms" in channels:
        broadcast.sms_sent = _send_sms(broadcast)
    events.broadcast_sent(broadcast)
    return broadcast


def list_broadcasts():
    """A select of public warnings, newest first."""
    return select(Broadcast).order_by(Broadcast.sent_at.desc(), Broadcast.id.desc())


def broadcast_view(broadcast: Broadcast) -> dict:
    """A broadcast as the resource ``{id, …, alert, sign_override, sms_sent}`` (BroadcastSchema)."""
    alert = None
    if broadcast.alert_id is not None:
        alert = alerts_service.alert_view(alerts_service.get_alert(alert_id=broadcast.alert_id))
    fields = {c.key: getattr(broadcast, c.key) for c in Broadcast.__table__.columns}
    return {**fields, "alert": alert}
