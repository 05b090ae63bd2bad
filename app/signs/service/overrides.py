"""Overrides (CA-4): full-screen text above every message, until cancelled or expired.

An override may start as a proposal (the crowd playbook) that an operator approves. When one ends,
each of its signs is told (`override_cancelled`) what to show now: the next override in force, or
its messages, so it goes back to what it showed before. Every change of status is one conditional
UPDATE, so a cancel racing an expiry (or two sweepers) ends it once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from app.core.errors import InvalidTransition, ValidationFailed
from app.core.events import transactional
from app.core.states import transition
from app.core.timeutil import utcnow
from app.extensions import db
from app.signs import events
from app.signs.errors import OverrideNotFound
from app.signs.models import ACTIVE, CANCELLED, EXPIRED, PROPOSED, Sign, SignDelivery, SignOverride
from app.signs.service.common import acting_user_id, claim, setting
from app.signs.service.content import (
    add_deliveries,
    compose,
    content_payload,
    current_content,
    delivery_sign_ids,
    mark_sent,
    override_payload,
    resolve_targets,
)
from app.signs.service.messages import deliveries, delivery_counts

RANK = {"info": 100, "warning": 200, "critical": 300}


@transactional
def create_override(*, targets: dict, severity: str, template: str | None = None, text: str | None = None,
                    title: str | None = None, params: dict | None = None, expires_at: datetime | None = None,
                    source: str = "operator", source_key: str | None = None, propose: bool = False) -> dict:
    """Put an override on the target signs now (or propose it); 422 for bad content or targets."""
    now = utcnow()
    if expires_at is not None and expires_at <= now:
        raise ValidationFailed({"expires_at": ["Must be in the future."]})
    content = compose(template=template, text=text, title=title, params=params)
    resolve_targets(targets)
    ov = SignOverride(**{k: content[k] for k in ("template", "params", "title", "text", "texts")}, severity=severity,
                      priority=RANK[severity], targets=targets, status=PROPOSED if propose else ACTIVE, source=source,
                      source_key=source_key, created_by=acting_user_id(), created_at=now,
                      activated_at=None if propose else now, expires_at=expires_at)
    db.session.add(ov)
    db.session.flush()
    if not propose:
        _start(ov, now)
    events.override_changed("override_proposed" if propose else "override_activated", override_view(ov),
                            action="create", changes={"status": [None, ov.status], "text": [None, ov.text]})
    return override_view(ov)


def _start(ov: SignOverride, now: datetime) -> None:
    sign_ids = resolve_targets(ov.targets)
    add_deliveries(sign_ids, now=now, override_id=ov.id)
    mark_sent(now=now, override_id=ov.id)
    events.push("override", override_payload(ov, now), sign_ids=sign_ids)


def get_override(override_id: int) -> SignOverride:
    """Return an override or raise 404."""
    ov = db.session.get(SignOverride, override_id)
    if ov is None:
        raise OverrideNotFound()
    return ov


@transactional
def approve_override(*, override_id: int) -> dict:
    """Activate a proposed override (one click on the console); 409 when it is no longer proposed."""
    ov = get_override(override_id)
    now = utcnow()
    if ov.expires_at is not None and ov.expires_at <= now:
        raise InvalidTransition("This proposal has expired.")
    if not transition(SignOverride, ov.id, from_=(PROPOSED,), to=ACTIVE, values={"activated_at": now}):
        db.session.refresh(ov)
        raise InvalidTransition(f"Only a proposed override can be approved; this one is {ov.status}.")
    db.session.refresh(ov)
    _start(ov, now)
    events.override_changed("override_activated", override_view(ov), action="approve",
                            changes={"status": [PROPOSED, ACTIVE]})
    return override_view(ov)


@transactional
def cancel_override(*, override_id: int) -> dict:
    """End an override (or reject a proposal); its signs go back to what they showed; 409 if it has ended."""
    ov = get_override(override_id)
    before = ov.status
    if not transition(SignOverride, ov.id, from_=(PROPOSED, ACTIVE), to=CANCELLED,
                      values={"ended_at": utcnow(), "ended_by": acting_user_id()}):
        db.session.refresh(ov)
        raise InvalidTransition(f"This override has already ended ({ov.status}).")
    db.session.refresh(ov)
    if before == ACTIVE:
        _revert(ov, "cancelled")
    events.override_changed("override_cancelled", override_view(ov), action="cancel",
                            changes={"status": [before, CANCELLED]})
    return override_view(ov)


def _revert(ov: SignOverride, reason: str) -> None:
    """Tell each sign of an ended override what to show now."""
    sign_ids = delivery_sign_ids(override_id=ov.id)
    content = current_content(sign_ids)
    events.push_each("override_cancelled", {i: {"id": ov.id, "override_id": ov.id, "reason": reason,
                                                "showing": content_payload(content.get(i))} for i in sign_ids})


def expire_due_overrides() -> int:
    """End every override whose `expires_at` has passed (the sweep calls this every few seconds)."""
    due = list(db.session.execute(select(SignOverride.id, SignOverride.status).where(
        SignOverride.status.in_((PROPOSED, ACTIVE)), SignOverride.expires_at <= utcnow())))
    return sum(1 for override_id, status in due if _expire(override_id, status))


@transactional
def _expire(override_id: int, status: str) -> bool:
    now = utcnow()
    if not transition(SignOverride, override_id, from_=(status,), to=EXPIRED, values={"ended_at": now}):
        return False
    ov = get_override(override_id)
    db.session.refresh(ov)
    if status == ACTIVE:
        _revert(ov, "expired")
    events.override_changed("override_cancelled", override_view(ov), action="expire",
                            changes={"status": [status, EXPIRED]})
    return True


@transactional
def flag_unacknowledged() -> int:
    """Tell operators about signs that have not acknowledged an active override in time (once each)."""
    since = utcnow() - timedelta(seconds=setting("SIGNS_ACK_TIMEOUT_SECONDS"))
    rows = list(db.session.execute(
        select(SignDelivery.id, SignDelivery.override_id, SignDelivery.created_at, Sign)
        .join(SignOverride, SignDelivery.override_id == SignOverride.id).join(Sign, SignDelivery.sign_id == Sign.id)
        .where(SignOverride.status == ACTIVE, SignDelivery.acked_at.is_(None), SignDelivery.flagged_at.is_(None),
               SignDelivery.created_at <= since)))
    flagged = 0
    for delivery_id, override_id, created_at, sign in rows:
        if claim(SignDelivery, delivery_id, SignDelivery.flagged_at.is_(None), SignDelivery.acked_at.is_(None),
                 values={"flagged_at": utcnow()}):
            flagged += 1
            events.override_unacknowledged({"override_id": override_id, "sign_id": sign.id,
                                            "since": created_at.isoformat(),
                                            "sign": {"id": sign.id, "name": sign.name, "zone": sign.zone,
                                                     "status": sign.status}})
    return flagged


def override_view(ov: SignOverride, *, with_deliveries: bool = False) -> dict:
    """An override as the REST resource, with its delivery and acknowledgement figures."""
    view = {c.key: getattr(ov, c.key) for c in SignOverride.__table__.columns}
    view |= delivery_counts(SignDelivery.override_id, ov.id)
    if with_deliveries:
        view["deliveries"] = deliveries(SignDelivery.override_id, ov.id)
    return view


def override_detail(*, override_id: int) -> dict:
    """An override with every sign's delivery and acknowledgement."""
    return override_view(get_override(override_id), with_deliveries=True)


def list_overrides(*, status: str | None = None, limit: int = 100) -> list[dict]:
    """Recent overrides, newest first."""
    stmt = select(SignOverride).order_by(SignOverride.created_at.desc(), SignOverride.id.desc()).limit(limit)
    if status:
        stmt = stmt.where(SignOverride.status == status)
    return [override_view(ov) for ov in db.session.scalars(stmt)]
