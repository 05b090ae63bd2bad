"""Alert events: live as ``alert`` on the ``alerts`` rooms of the alert's place; ``system_update`` to the city."""

from __future__ import annotations

from app.alerts.schemas import AlertSchema
from app.core.events import Event, publish
from app.core.timeutil import utcnow


def _alert(name: str, alert, action: str, changes: dict) -> None:
    publish(Event(name=f"alerts.{name}", payload=AlertSchema().dump(alert), channel="alerts", socket_event="alert",
                  scope={"temple_id": alert.temple_id, "zone": alert.zone}, entity="alert",
                  entity_id=alert.id, action=action, changes=changes))


def alert_created(alert) -> None:
    _alert("alert_created", alert, "create", {"severity": [None, alert.severity], "title": [None, alert.title]})


def alert_cancelled(alert) -> None:
    _alert("alert_cancelled", alert, "cancel", {"status": ["active", "cancelled"]})


def system_update(message: str, level: str) -> dict:
    payload = {"message": message, "level": level, "at": utcnow().isoformat()}
    publish(Event(name="alerts.system_update", payload=payload, channel="city", socket_event="system_update",
                  scope={"module": "system", "severity": level if level in ("info", "warning", "critical") else "info"},
                  entity="system_update", action="broadcast", changes={"message": [None, message]}))
    return payload
