"""Messages (CA-4, CA-5): text for target signs within a schedule window, per-sign delivery and acks.

Targets are resolved when the message is created (one delivery row per sign). A message is pushed
as `new_message` when its window opens: at once, or by the sweep for a later `starts_at` (claimed
with ``dispatched_at``, so several sweepers push it once). A sign drops it at `expires_at`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select

from app.core.errors import ValidationFailed
from app.core.events import Event, publish, transactional
from app.core.timeutil import utcnow
from app.extensions import db
from app.signs import events
from app.signs.errors import MessageNotFound
from app.signs.models import Sign, SignDelivery, SignMessage
from app.signs.service.common import acting_user_id, claim
from app.signs.service.content import (
    add_deliveries,
    compose,
    delivery_sign_ids,
    mark_sent,
    message_payload,
    resolve_targets,
)


def _window(starts_at: datetime | None, expires_at: datetime | None, now: datetime) -> datetime:
    starts_at = starts_at or now
    if expires_at is not None and expires_at <= max(starts_at, now):
        raise ValidationFailed({"expires_at": ["Must be in the future and after starts_at."]})
    return starts_at


@transactional
def send_message(*, targets: dict, template: str | None = None, text: str | None = None, title: str | None = None,
                 params: dict | None = None, priority: int | None = None, starts_at: datetime | None = None,
                 expires_at: datetime | None = None, source: str = "operator") -> dict:
    """Send a message to the target signs now, or when `starts_at` comes; 422 for bad content or targets."""
    now = utcnow()
    starts_at = _window(starts_at, expires_at, now)
    content = compose(template=template, text=text, title=title, params=params, priority=priority)
    sign_ids = resolve_targets(targets)
    msg = SignMessage(**content, targets=targets, source=source, starts_at=starts_at, expires_at=expires_at,
                      created_by=acting_user_id(), created_at=now)
    db.session.add(msg)
    db.session.flush()
    add_deliveries(sign_ids, now=now, message_id=msg.id)
    if starts_at <= now:
        _dispatch(msg, now)
        events.message_sent(message_view(msg), created=True)
    else:
        publish(Event(name="signs.message_scheduled", payload={"id": msg.id}, entity="sign_message",
                      entity_id=msg.id, action="create", changes={"text": [None, msg.text]}))
    return message_view(msg)


def _dispatch(msg: SignMessage, now: datetime) -> bool:
    """Push a message whose window is open to its signs, once."""
    if not claim(SignMessage, msg.id, SignMessage.dispatched_at.is_(None), values={"dispatched_at": now}):
        return False
    sign_ids = delivery_sign_ids(message_id=msg.id)
    mark_sent(now=now, message_id=msg.id)
    events.push("new_message", message_payload(msg, now), sign_ids=sign_ids)
    return True


def dispatch_due_messages() -> int:
    """Push every scheduled message whose window has opened (the sweep calls this)."""
    now = utcnow()
    due = list(db.session.scalars(select(SignMessage.id).where(
        SignMessage.dispatched_at.is_(None), SignMessage.starts_at <= now,
        or_(SignMessage.expires_at.is_(None), SignMessage.expires_at > now))))
    return sum(1 for message_id in due if _dispatch_one(message_id))


@transactional
def _dispatch_one(message_id: int) -> bool:
    msg = db.session.get(SignMessage, message_id)
    if msg is None or not _dispatch(msg, utcnow()):
        return False
    events.message_sent(message_view(msg), created=False)
    return True


def message_status(msg: SignMessage, now: datetime | None = None) -> str:
    """scheduled, showing or expired."""
    now = now or utcnow()
    if msg.expires_at is not None and msg.expires_at <= now:
        return "expired"
    return "scheduled" if msg.starts_at > now else "showing"


def delivery_counts(column, ref: int) -> dict:
    """How many signs were targeted, sent to, and acknowledged."""
    row = db.session.execute(select(func.count(), func.count(SignDelivery.sent_at), func.count(SignDelivery.acked_at),
                                    func.count(SignDelivery.flagged_at)).where(column == ref)).one()
    return {"signs": row[0], "sent": row[1], "acknowledged": row[2], "flagged": row[3]}


def deliveries(column, ref: int) -> list[dict]:
    """Per-sign delivery: [{sign: {id, name, zone}, sent_at, acked_at, flagged}]."""
    rows = db.session.execute(select(SignDelivery, Sign.name, Sign.zone).join(Sign)
                              .where(column == ref).order_by(Sign.zone, Sign.name, Sign.id))
    return [{"sign": {"id": d.sign_id, "name": name, "zone": zone}, "sent_at": d.sent_at, "acked_at": d.acked_at,
             "flagged": d.flagged_at is not None} for d, name, zone in rows]


def message_view(msg: SignMessage, *, with_deliveries: bool = False) -> dict:
    """A message as the REST resource, with its delivery figures."""
    view = {c.key: getattr(msg, c.key) for c in SignMessage.__table__.columns}
    view |= {"status": message_status(msg), **delivery_counts(SignDelivery.message_id, msg.id)}
    if with_deliveries:
        view["deliveries"] = deliveries(SignDelivery.message_id, msg.id)
    return view


def message_detail(*, message_id: int) -> dict:
    """A message with every sign's delivery and acknowledgement."""
    msg = db.session.get(SignMessage, message_id)
    if msg is None:
        raise MessageNotFound()
    return message_view(msg, with_deliveries=True)


def list_messages(*, status: str | None = None, limit: int = 100) -> list[dict]:
    """Recent messages, newest first."""
    msgs = db.session.scalars(select(SignMessage).order_by(SignMessage.created_at.desc(), SignMessage.id.desc())
                              .limit(limit))
    views = [message_view(m) for m in msgs]
    return [v for v in views if status is None or v["status"] == status]
