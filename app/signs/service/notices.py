"""SMS and voice notices (CA-7): to a list of numbers or to the subscribers of a zone.

Each recipient is one core notification (``app.core.notify``): queued in this transaction, sent
after commit through the configured Twilio-compatible provider, retried with back-off, and sent
once per notice and number (its dedupe key), however often delivery is retried.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from app.core import notify
from app.core.errors import ValidationFailed
from app.core.events import Event, publish, transactional
from app.core.timeutil import utcnow
from app.extensions import db
from app.signs.models import Sign, SignNotice, SignSubscriber
from app.signs.service.common import acting_user_id
from app.signs.wording import plain_text

SUBJECT = "Festival notice"


def _known_zone(zone: str) -> str:
    if db.session.scalar(select(Sign.id).where(Sign.zone == zone).limit(1)) is None:
        raise ValidationFailed({"zone": [f"No signs in zone '{zone}'."]})
    return zone


@transactional
def subscribe_phone(*, phone: str, zone: str) -> SignSubscriber:
    """Subscribe a phone number to a zone's notices (again: the same subscription)."""
    existing = db.session.scalar(select(SignSubscriber).where(SignSubscriber.zone == zone,
                                                              SignSubscriber.phone == phone))
    if existing is not None:
        return existing
    subscriber = SignSubscriber(phone=phone, zone=_known_zone(zone))
    db.session.add(subscriber)
    db.session.flush()
    return subscriber


@transactional
def unsubscribe_phone(*, phone: str, zone: str) -> None:
    """Stop a zone's notices to a phone number (nothing happens when it was not subscribed)."""
    db.session.execute(delete(SignSubscriber).where(SignSubscriber.zone == zone, SignSubscriber.phone == phone))


def zone_subscribers(zone: str) -> list[str]:
    """The phone numbers subscribed to a zone."""
    return list(db.session.scalars(select(SignSubscriber.phone).where(SignSubscriber.zone == zone)
                                   .order_by(SignSubscriber.phone)))


def notice_view(notice: SignNotice) -> dict:
    """A notice as the REST resource (`recipients` is how many numbers it was queued for)."""
    return {"id": notice.id, "channel": notice.channel, "text": notice.text, "zone": notice.zone,
            "recipients": len(notice.recipients), "created_at": notice.created_at}


@transactional
def send_notice(*, channel: str, text: str, to: list[str] | None = None, zone: str | None = None) -> dict:
    """Send an SMS or place a voice call to each number (or each subscriber of a zone), once each."""
    recipients = sorted(set(to)) if to else zone_subscribers(zone)
    if not recipients:
        raise ValidationFailed({"zone": [f"Zone '{zone}' has no subscribers."]})
    shown = plain_text(text)
    if not shown:
        raise ValidationFailed({"text": ["The text is empty once markup is removed."]})
    notice = SignNotice(channel=channel, text=shown, zone=zone, recipients=recipients, created_by=acting_user_id(),
                        created_at=utcnow())
    db.session.add(notice)
    db.session.flush()
    for phone in recipients:
        notify.send(channel, phone, SUBJECT, shown, dedupe_key=f"signs.notice:{notice.id}:{phone}")
    publish(Event(name="signs.notice_sent", payload={"id": notice.id}, entity="sign_notice", entity_id=notice.id,
                  action="create", changes={"channel": [None, channel], "recipients": [None, len(recipients)]}))
    return notice_view(notice)
