"""Alerts (PW-15): raise for the city, a temple or a zone; list; cancel.

Every alert is delivered live as ``alert`` to the ``alerts`` rooms of its scope; a critical
alert is also sent through notifications to the configured recipients and on-duty staff.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import or_, select

from app.alerts.models import Alert
from app.auth import service as auth_service
from app.core import notify
from app.core.cache import cached_read
from app.core.context import current_actor
from app.core.errors import Conflict, NotFound, ValidationFailed
from app.core.events import Event, publish, transactional
from app.core.places import resolve_temple
from app.core.timeutil import utcnow
from app.extensions import db

RESPONDER_ROLES = ("operator", "safety_officer")


def alert_view(alert: Alert) -> dict:
    """The alert's fields plus whether it is in force now (dumped by AlertSchema)."""
    return {**{c.key: getattr(alert, c.key) for c in Alert.__table__.columns}, "active": is_active(alert)}


def alert_payload(alert: Alert) -> dict:
    """The alert as JSON, the same as the REST resource (Socket.IO `alert` event)."""
    from app.alerts.schemas import AlertSchema

    return AlertSchema().dump(alert_view(alert))


def is_active(alert: Alert) -> bool:
    return alert.status == "active" and (alert.expires_at is None or alert.expires_at > utcnow())


def _place(scope: str, temple_id, temple, zone) -> tuple[int | None, str | None, str | None]:
    if scope == "city":
        return None, None, None
    ref = temple_id if temple_id is not None else temple
    resolved = resolve_temple(ref)
    if resolved is None and temple_id is None:
        raise ValidationFailed({"temple": [f"Unknown temple {temple!r}."]})
    temple_id, temple = resolved if resolved else (temple_id, temple)
    return temple_id, temple, zone if scope == "zone" else None


def _event(name: str, alert: Alert, action: str, changes: dict) -> None:
    publish(Event(name=f"alerts.{name}", payload=alert_payload(alert), channel="alerts", socket_event="alert",
                  scope={"temple_id": alert.temple_id, "zone": alert.zone}, entity="alert",
                  entity_id=alert.id, action=action, changes=changes))


def _notify_critical(alert: Alert) -> None:
    cfg = current_app.config
    where = f" at {alert.temple}" + (f" / {alert.zone}" if alert.zone else "") if alert.temple else ""
    subject = f"CRITICAL alert{where}: {alert.title}"
    emails = set(cfg["ALERT_EMAILS"]) | {u.email for u in auth_service.users_by_role(*RESPONDER_ROLES)}
    for email in sorted(emails):
        notify.send("email", email, subject, alert.message)
    for phone in cfg["ALERT_SMS"]:
        notify.send("sms", phone, subject, f"{subject}. {alert.message}"[:300])
    for hook in cfg["CHAT_WEBHOOK_URLS"]:
        notify.send("chat", hook, subject, alert.message)


@transactional
def create_alert(*, scope: str, severity: str, title: str, message: str, temple_id: int | None = None,
                 temple: str | None = None, zone: str | None = None, expires_at=None,
                 source: str | None = None) -> Alert:
    """Raise an alert, broadcast it, and notify responders when it is critical."""
    temple_id, temple, zone = _place(scope, temple_id, temple, zone)
    if expires_at is not None and expires_at <= utcnow():
        raise ValidationFailed({"expires_at": ["Must be in the future."]})
    actor = current_actor()
    alert = Alert(scope=scope, severity=severity, title=title, message=message, temple_id=temple_id,
                  temple=temple, zone=zone, source=source, status="active", created_at=utcnow(),
                  expires_at=expires_at, created_by=actor.id if actor.kind == "user" else None)
    db.session.add(alert)
    db.session.flush()
    _event("alert_created", alert, "create", {"severity": [None, severity], "title": [None, title]})
    if severity == "critical":
        _notify_critical(alert)
    return alert


def list_alerts(*, active: bool | None = None, temple: str | None = None, temple_id: int | None = None,
                severity: str | None = None):
    """Return a select of alerts, newest first; a temple filter includes city-wide alerts."""
    stmt = select(Alert).order_by(Alert.created_at.desc(), Alert.id.desc())
    ref = temple_id if temple_id is not None else temple
    if ref is not None:
        resolved = resolve_temple(ref)
        tid = resolved[0] if resolved else temple_id
        stmt = stmt.where(or_(Alert.temple_id == tid, Alert.scope == "city") if tid is not None
                          else Alert.temple == temple)
    if severity:
        stmt = stmt.where(Alert.severity == severity)
    now = utcnow()
    if active is True:
        stmt = stmt.where(Alert.status == "active", or_(Alert.expires_at.is_(None), Alert.expires_at > now))
    elif active is False:
        stmt = stmt.where(or_(Alert.status != "active", Alert.expires_at <= now))
    return stmt


@cached_read("alerts.active", timeout=60, invalidated_by=("alerts.",))
def _uncancelled_views(temple: str | None, temple_id: int | None, severity: str | None) -> list[dict]:
    stmt = list_alerts(temple=temple, temple_id=temple_id, severity=severity).where(Alert.status == "active")
    return [alert_view(a) for a in db.session.scalars(stmt)]


def active_alert_views(temple: str | None = None, temple_id: int | None = None,
                       severity: str | None = None) -> list[dict]:
    """Alerts in force now (cached read, refreshed by any alert change; expiry checked on every read)."""
    now = utcnow()
    return [v for v in _uncancelled_views(temple, temple_id, severity)
            if v["expires_at"] is None or v["expires_at"] > now]


def active_alerts(*, temple_id: int | None = None) -> list[Alert]:
    """Alerts in force now (for a temple: its own and the city's)."""
    return list(db.session.scalars(list_alerts(active=True, temple_id=temple_id)))


def get_alert(alert_id: int) -> Alert:
    alert = db.session.get(Alert, alert_id)
    if alert is None:
        raise NotFound("No alert with this id.")
    return alert


@transactional
def cancel_alert(*, alert_id: int) -> Alert:
    """Cancel an active alert (409 when already cancelled) and broadcast the change."""
    alert = get_alert(alert_id)
    if alert.status != "active":
        raise Conflict("The alert is already cancelled.", error="already_cancelled")
    alert.status, alert.cancelled_at = "cancelled", utcnow()
    _event("alert_cancelled", alert, "cancel", {"status": ["active", "cancelled"]})
    return alert


@transactional
def broadcast_system_update(*, message: str, level: str = "info") -> dict:
    """Announce a city-wide system update to the `city` channel (e.g. from a scheduled job)."""
    payload = {"message": message, "level": level, "at": utcnow().isoformat()}
    publish(Event(name="alerts.system_update", payload=payload, channel="city", socket_event="system_update",
                  entity="system_update", action="broadcast", changes={"message": [None, message]}))
    return payload
