"""Live signs (CA-1 … CA-4): connections, heartbeats, metrics, acknowledgements, offline detection.

Connection state lives in the database so every web process agrees: a connection records its
Socket.IO id on the sign, and a disconnect marks the sign offline only while that id is still the
sign's (``… WHERE sid = :sid``), so a sign that already reconnected through another process stays
online. The offline sweep claims each online → offline change with a conditional UPDATE, so
several processes sweeping at once report each sign once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update

from app.auth import service as auth_service
from app.core.events import transactional
from app.core.states import transition
from app.core.timeutil import utcnow
from app.extensions import db
from app.signs import events
from app.signs.errors import NotDelivered
from app.signs.models import OFFLINE, ONLINE, Sign, SignDelivery, SignSample
from app.signs.service.common import claim, setting
from app.signs.service.content import content_payload, current_content
from app.signs.service.signs import DEVICE_KIND, figures_view, get_sign, sign_view

FIGURES = ("battery", "signal_strength", "crowd_density", "crowd_count")


def authenticate_sign(device_key) -> int | None:
    """The id of the sign owning this device key, or None (unknown, revoked, or not a sign's)."""
    if not isinstance(device_key, str) or not 0 < len(device_key) <= 200:
        return None
    device = auth_service.resolve_device_key(device_key)
    if device is None or device.kind != DEVICE_KIND:
        return None
    return db.session.scalar(select(Sign.id).where(Sign.device_id == device.id))


@transactional
def sign_connected(*, sign_id: int, sid: str) -> dict:
    """Record a connection; send the sign what it must show now; tell operators."""
    now = utcnow()
    db.session.execute(update(Sign).where(Sign.id == sign_id)
                       .values(sid=sid, status=ONLINE, connected_at=now, last_seen_at=now))
    entry = current_content([sign_id])[sign_id]
    _mark_shown_sent(sign_id, entry, now)
    payload = content_payload(entry)
    for message in reversed(payload["messages"]):
        events.push("new_message", message, sids=[sid])
    if payload["override"]:
        events.push("override", payload["override"], sids=[sid])
    view = sign_view(get_sign(sign_id), entry)
    events.sign_changed("sign_connected", view)
    return payload


def _mark_shown_sent(sign_id: int, entry: dict, now: datetime) -> None:
    message_ids = [m.id for m in entry["messages"]]
    override_ids = [entry["override"].id] if entry["override"] else []
    db.session.execute(update(SignDelivery)
                       .where(SignDelivery.sign_id == sign_id, SignDelivery.sent_at.is_(None),
                              or_(SignDelivery.message_id.in_(message_ids), SignDelivery.override_id.in_(override_ids)))
                       .values(sent_at=now).execution_options(synchronize_session=False))


@transactional
def sign_disconnected(*, sign_id: int, sid: str) -> bool:
    """Mark the sign offline when this connection was its current one; tell operators."""
    if not claim(Sign, sign_id, Sign.sid == sid, values={"sid": None, "status": OFFLINE}):
        return False
    events.sign_changed("sign_disconnected", sign_view(get_sign(sign_id)))
    return True


@transactional
def record_heartbeat(*, sign_id: int, figures: dict, sid: str | None = None) -> dict:
    """Store a heartbeat's figures on the sign (one row), sample it now and then, tell operators.

    The usual case is one UPDATE … RETURNING; a sign the sweep had marked offline comes back online
    (`sign_connected`). The operators' `sign_update` carries the figures, not `showing` (unchanged).
    """
    now = utcnow()
    values = {**{name: figures[name] for name in FIGURES if name in figures}, "last_seen_at": now}
    sign = db.session.scalars(update(Sign).where(Sign.id == sign_id, Sign.status == ONLINE).values(values)
                              .returning(Sign)).first()
    # A sign the sweep marked offline comes back on its own connection; a heartbeat still in flight on a
    # connection that has since closed (its disconnect cleared the sid) must not bring it back online.
    recovered = sign is None and (
        claim(Sign, sign_id, Sign.status == OFFLINE, Sign.sid == sid, values={**values, "status": ONLINE}) if sid
        else transition(Sign, sign_id, from_=(OFFLINE,), to=ONLINE, values=values))
    sign = sign or get_sign(sign_id)
    _sample(sign, now)
    if recovered:
        view = sign_view(sign)
        events.sign_changed("sign_connected", view)
    else:
        view = figures_view(sign)
        events.sign_changed("sign_update", view)
    return view


def _sample(sign: Sign, now: datetime) -> None:
    """Keep one heartbeat per sampling interval as history (claimed, so two processes add one)."""
    due = now - timedelta(seconds=setting("SIGNS_SAMPLE_SECONDS"))
    if sign.sampled_at is not None and sign.sampled_at > due:
        return
    if claim(Sign, sign.id, or_(Sign.sampled_at.is_(None), Sign.sampled_at <= due), values={"sampled_at": now}):
        db.session.add(SignSample(sign_id=sign.id, at=now, **{name: getattr(sign, name) for name in FIGURES}))


@transactional
def record_metrics(*, sign_id: int, counters: dict) -> dict:
    """Add a metrics report's impressions to the sign's total; keep the report."""
    now = utcnow()
    db.session.execute(update(Sign).where(Sign.id == sign_id)
                       .values(impressions=Sign.impressions + counters["impressions"], metrics=counters,
                               last_seen_at=now))
    view = sign_view(get_sign(sign_id))
    events.sign_changed("sign_update", view)
    return view


@transactional
def acknowledge(*, sign_id: int, message_id: int | None = None, override_id: int | None = None) -> dict:
    """Record that a sign shows a message or override (once); tell operators."""
    column, ref = (SignDelivery.message_id, message_id) if message_id else (SignDelivery.override_id, override_id)
    now = utcnow()
    mine = (SignDelivery.sign_id == sign_id, column == ref)
    first = db.session.execute(update(SignDelivery).where(*mine, SignDelivery.acked_at.is_(None))
                               .values(acked_at=now, sent_at=func.coalesce(SignDelivery.sent_at, now))
                               .execution_options(synchronize_session=False)).rowcount == 1
    if first:
        events.acknowledged(_ack_payload(get_sign(sign_id), message_id, override_id, now))
        return {"acked_at": now}
    acked_at = db.session.scalar(select(SignDelivery.acked_at).where(*mine))
    if acked_at is None:
        raise NotDelivered()
    return {"acked_at": acked_at}


def _ack_payload(sign: Sign, message_id, override_id, at: datetime) -> dict:
    key = "message_id" if message_id else "override_id"
    return {key: message_id or override_id, "sign_id": sign.id,
            "sign": {"id": sign.id, "name": sign.name, "zone": sign.zone}, "acked_at": at.isoformat()}


@transactional
def mark_silent_signs_offline() -> int:
    """Mark offline every online sign without a heartbeat for SIGN_OFFLINE_SECONDS (`sign_offline`)."""
    cutoff = utcnow() - timedelta(seconds=setting("SIGN_OFFLINE_SECONDS"))
    silent = list(db.session.scalars(select(Sign.id).where(Sign.status == ONLINE, Sign.last_seen_at < cutoff)))
    gone = [i for i in silent
            if claim(Sign, i, Sign.status == ONLINE, Sign.last_seen_at < cutoff, values={"status": OFFLINE})]
    for sign_id in gone:
        events.sign_changed("sign_offline", sign_view(get_sign(sign_id)))
    return len(gone)


@transactional
def ping_quiet_signs() -> int:
    """Ping online signs quiet for half the offline timeout (once per silence), so a live one answers."""
    now = utcnow()
    quiet = now - timedelta(seconds=setting("SIGN_OFFLINE_SECONDS") / 2)
    ids = list(db.session.scalars(select(Sign.id).where(
        Sign.status == ONLINE, Sign.last_seen_at < quiet,
        or_(Sign.pinged_at.is_(None), Sign.pinged_at < Sign.last_seen_at))))
    pinged = [i for i in ids if claim(Sign, i, or_(Sign.pinged_at.is_(None), Sign.pinged_at < Sign.last_seen_at),
                                      values={"pinged_at": now})]
    if pinged:
        events.push("ping", {"at": now.isoformat()}, sign_ids=pinged)
    return len(pinged)


@transactional
def ask_sign(*, sign_id: int, what: str) -> dict:
    """Send a sign `ping` or `request_status` (it answers with a heartbeat at once)."""
    sign = get_sign(sign_id)
    events.push(what, {"at": utcnow().isoformat()}, sign_ids=[sign.id])
    return sign_view(sign)
