"""Alerts (PW-15): raise for the city, a temple or a zone; list; cancel.

Every alert is delivered live as ``alert`` to the ``alerts`` rooms of its scope; a critical
alert is also sent through notifications to the configured recipients and on-duty staff.
"""

from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import func, or_, select

from app.alerts import events
from app.alerts.errors import AlertNotFound, AlreadyCancelled
from app.alerts.models import Alert
from app.auth import service as auth_service
from app.core import notify
from app.core.cache import cached_read
from app.core.context import current_actor
from app.core.daily import per_local_day
from app.core.datasets import date_range
from app.core.errors import ValidationFailed
from app.core.events import transactional
from app.core.places import resolve_temple
from app.core.states import transition
from app.core.timeutil import utcnow
from app.extensions import db

RESPONDER_ROLES = ("operator", "safety_officer")


def alert_view(alert: Alert) -> dict:
    """The alert as plain data (cached reads), with whether it is in force now."""
    return {**{c.key: getattr(alert, c.key) for c in Alert.__table__.columns}, "active": alert.active}


def _place(scope: str, temple_id, temple, zone) -> tuple[int | None, str | None, str | None]:
    if scope == "city":
        return None, None, None
    ref = temple_id if temple_id is not None else temple
    resolved = resolve_temple(ref)
    if resolved is None:
        raise ValidationFailed({"temple": [f"Unknown temple {ref!r}."]})
    temple_id, temple = resolved
    return temple_id, temple, zone if scope == "zone" else None


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
                  expires_at=expires_at, created_by=actor.id if actor.kind == "user" else None,
                  created_by_label=actor.label if actor.kind in ("user", "device") else actor.kind)
    db.session.add(alert)
    db.session.flush()
    events.alert_created(alert)
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


def active_alert_views(*, temple: str | None = None, temple_id: int | None = None,
                       severity: str | None = None) -> list[dict]:
    """Alerts in force now (cached read, refreshed by any alert change; expiry checked on every read)."""
    now = utcnow()
    return [{**v, "active": True} for v in _uncancelled_views(temple, temple_id, severity)
            if v["expires_at"] is None or v["expires_at"] > now]


def active_alert_count() -> int:
    """How many alerts are in force now (KPI)."""
    return len(active_alert_views())


def alerts_per_day(first: date, last: date) -> dict:
    """Alerts raised per local day (KPI)."""
    return per_local_day(Alert.created_at, first, last)


def critical_alerts_per_day(first: date, last: date) -> dict:
    """Critical alerts raised per local day (KPI)."""
    return per_local_day(Alert.created_at, first, last, Alert.severity == "critical")


def alerts_for_export(*, filters: dict):
    """Alerts oldest first, streamed, for the ``alerts`` dataset."""
    stmt = date_range(select(Alert).order_by(Alert.created_at, Alert.id), filters, Alert.created_at)
    if filters.get("severity"):
        stmt = stmt.where(Alert.severity == filters["severity"])
    return db.session.scalars(stmt.execution_options(yield_per=500))


def alert_titles() -> set[str]:
    """Titles of every alert ever raised (idempotent demo data)."""
    return set(db.session.scalars(select(Alert.title)))


def count_alerts(*, since) -> int:
    """Alerts raised since a time."""
    return db.session.scalar(select(func.count(Alert.id)).where(Alert.created_at >= since)) or 0


def get_alert(*, alert_id: int) -> Alert:
    """Return an alert or raise 404."""
    alert = db.session.get(Alert, alert_id)
    if alert is None:
        raise AlertNotFound()
    return alert


@transactional
def cancel_alert(*, alert_id: int) -> Alert:
    """Cancel an active alert (409 when already cancelled) and broadcast the change."""
    alert = get_alert(alert_id=alert_id)
    if not transition(Alert, alert.id, from_="active", to="cancelled", values={"cancelled_at": utcnow()}):
        raise AlreadyCancelled("The alert is already cancelled.")
    events.alert_cancelled(alert)
    return alert


@transactional
def broadcast_system_update(*, message: str, level: str = "info") -> dict:
    """Announce a city-wide system update to the `city` channel (e.g. from a scheduled job)."""
    return events.system_update(message, level)
