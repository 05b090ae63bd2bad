"""Safety events: audited in the transaction, delivered after commit.

Every new incident and every step goes out twice:

* ``emergency`` on the staff-only ``emergency`` channel (rooms of its temple and zone), with the
  incident resource — the cross-domain events ``safety.incident_reported`` / ``safety.incident_updated``;
* ``emergency_alert`` on the public ``city`` channel (room ``city:emergency``) with a summary that
  leaves out the reporter, the description and the exact position: that channel has anonymous
  subscribers, and an SOS is someone's private emergency.
"""

from __future__ import annotations

from app.core.events import Event, publish
from app.core.timeutil import utcnow
from app.safety.schemas import IncidentSchema

EMERGENCY = "emergency"
CITY, EMERGENCY_ALERT = "city", "emergency_alert"
# the city channel filters by the platform's alert scale
CITY_SEVERITY = {"low": "info", "medium": "info", "high": "warning", "critical": "critical"}


def incident_payload(incident) -> dict:
    """The incident as its REST resource."""
    return IncidentSchema().dump(incident)


def public_summary(incident) -> dict:
    """What the public city channel may know about an incident."""
    return {"code": incident.code, "type": incident.type, "severity": CITY_SEVERITY[incident.severity],
            "incident_severity": incident.severity, "status": incident.status, "temple": incident.temple,
            "zone": incident.zone, "reported_at": incident.reported_at.isoformat(), "at": utcnow().isoformat()}


def _emit(name: str, incident, action: str, changes: dict) -> None:
    publish(Event(name=name, payload=incident_payload(incident), channel=EMERGENCY, socket_event=EMERGENCY,
                  scope={"temple_id": incident.temple_id, "zone": incident.zone}, entity="incident",
                  entity_id=incident.code, action=action, changes=changes))
    publish(Event(name="safety.emergency_alert", payload=public_summary(incident), channel=CITY,
                  socket_event=EMERGENCY_ALERT,
                  scope={"module": "emergency", "severity": CITY_SEVERITY[incident.severity]}, audit=False))


def incident_reported(incident) -> None:
    """Announce a new incident."""
    _emit("safety.incident_reported", incident, "report",
          {"status": [None, incident.status], "type": [None, incident.type], "severity": [None, incident.severity]})


def incident_updated(incident, *, action: str, changes: dict | None = None) -> None:
    """Announce a step of an incident (acknowledged, dispatched, linked …)."""
    _emit("safety.incident_updated", incident, action, changes or {})


def broadcast_sent(broadcast) -> None:
    """Announce a public warning (audited: who sent what)."""
    payload = {"id": broadcast.id, "severity": broadcast.severity, "title": broadcast.title,
               "message": broadcast.message, "scope": broadcast.scope, "temple": broadcast.temple,
               "zone": broadcast.zone,
               "expires_at": broadcast.expires_at.isoformat() if broadcast.expires_at else None}
    publish(Event(name="safety.broadcast_sent", payload=payload, entity="broadcast", entity_id=broadcast.id,
                  action="send", changes={"title": [None, broadcast.title], "message": [None, broadcast.message],
                                          "channels": [None, broadcast.channels],
                                          "sms_sent": [None, broadcast.sms_sent]}))


def unit_moved(unit) -> None:
    """A unit's new position (not audited: devices report often)."""
    publish(Event(name="safety.unit_moved", payload={"unit_id": unit.id, "lat": unit.lat, "lng": unit.lng},
                  audit=False))


def record_changed(name: str, *, entity: str, entity_id, action: str, changes: dict | None = None) -> None:
    """An audited change of a unit or a workplace record (``safety.hazard_updated`` …)."""
    publish(Event(name=f"safety.{name}", payload={"id": entity_id}, entity=entity, entity_id=entity_id,
                  action=action, changes=changes))
