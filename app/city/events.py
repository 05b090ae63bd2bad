"""City events: one helper per kind. Live ones go to the ``city`` channel, scoped by module and severity.

Socket.IO events (API.md): ``traffic_update`` (module traffic), ``environment_alert`` (environment),
``emergency_alert`` (emergency), ``system_update`` (waste and energy notices). The cross-domain
``city.environment_alert`` carries {zone, aqi, category, previous_category, dominant_pollutant,
severity, lat, lng, at} (docs/architecture.md).
"""

from __future__ import annotations

from app.core.events import Event, publish
from app.core.timeutil import utcnow

CHANNEL = "city"
SEVERITIES = ("info", "warning", "critical")


def _iso(value):
    return value.isoformat() if value is not None else None


def _live(name: str, socket_event: str, module: str, severity: str, payload: dict, **audit) -> None:
    publish(Event(name=name, payload={**payload, "module": module, "severity": severity}, channel=CHANNEL,
                  socket_event=socket_event, scope={"module": module, "severity": severity},
                  audit=bool(audit), **audit))


def environment_alert(*, zone: str, aqi: int, category: str, previous_category: str | None,
                      dominant_pollutant: str, severity: str, lat: float, lng: float, at) -> None:
    """A zone's AQI rose into a worse CPCB category."""
    payload = {"zone": zone, "aqi": aqi, "category": category, "previous_category": previous_category,
               "dominant_pollutant": dominant_pollutant, "severity": severity, "lat": lat, "lng": lng,
               "at": _iso(at)}
    _live("city.environment_alert", "environment_alert", "environment", severity, payload,
          entity="air_zone", entity_id=zone, action="alert", changes={"category": [previous_category, category]})


def traffic_update(*, segments: list[dict], severity: str) -> None:
    """Segments whose congestion level changed."""
    _live("city.traffic_updated", "traffic_update", "traffic", severity,
          {"kind": "congestion", "segments": segments, "at": _iso(utcnow())})


def incident_changed(incident: dict, *, action: str, severity: str) -> None:
    """A traffic incident was reported or resolved (critical ones also reach the emergency room)."""
    _live(f"city.traffic_incident_{action}", "traffic_update", "traffic", severity,
          {"kind": f"incident_{action}", "incident": incident}, entity="traffic_incident",
          entity_id=incident["id"], action=action, changes={"status": [None, incident["status"]]})
    if severity == "critical" and action == "reported":
        emergency_alert(kind="traffic_incident", severity="critical", incident=incident)


def emergency_alert(*, kind: str, severity: str, incident: dict) -> None:
    """An emergency for the ``city:emergency`` room (a critical traffic incident, a safety incident)."""
    _live("city.emergency_alert", "emergency_alert", "emergency", severity,
          {"kind": kind, "incident": incident, "at": incident.get("reported_at") or _iso(utcnow())})


def system_update(*, module: str, kind: str, severity: str, message: str, **details) -> None:
    """A waste or energy notice: bins to collect, a feeder above its load limit."""
    _live(f"city.{kind}", "system_update", module, severity,
          {"kind": kind, "level": severity, "message": message, "at": _iso(utcnow()), **details})


def changed(name: str, entity: str, entity_id, action: str, changes: dict, payload: dict | None = None) -> None:
    """An audited change with no live audience (sensors, bins, feeders, plans)."""
    publish(Event(name=f"city.{name}", payload=payload or {"id": entity_id}, entity=entity, entity_id=entity_id,
                  action=action, changes=changes))
