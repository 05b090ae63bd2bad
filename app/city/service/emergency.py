"""Emergencies elsewhere in the platform, brought to the city's emergency room (``city:emergency``)."""

from __future__ import annotations

from app.city import events
from app.core.events import Event, transactional

SEVERITY = {"low": "info", "medium": "warning", "high": "critical", "critical": "critical"}


@transactional
def on_safety_incident(evt: Event) -> None:
    """Relay a reported safety incident (SOS, fire, crowd …) to city operators as ``emergency_alert``."""
    incident = evt.payload
    severity = SEVERITY.get(incident.get("severity"), "warning")
    events.emergency_alert(kind="safety_incident", severity=severity, incident=incident)
