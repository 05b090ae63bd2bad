"""Linked incidents: what happens in one place at one time is one picture, not four tickets.

An SOS, a critical crowd reading (``temples.zone_critical``), a critical alert with a place
(``alerts.alert_created``), an air-quality alarm (``city.environment_alert``) or a full car park
(``parking.lot_full``) within ``SAFETY_LINK_RADIUS_M`` metres and ``SAFETY_LINK_WINDOW_MINUTES``
of an open incident attaches to it as ``related``. Other domains are known only by their event
names and payload keys (docs/architecture.md "Naming"); nothing here imports them.

Places compare by distance when both have coordinates, else by temple (and zone when both name one).
A critical crowd or a critical air alarm opens an incident of its own when nothing is near;
alerts and full car parks only add to an incident that exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from app.core.events import Event, transactional
from app.core.geo import haversine_m
from app.core.timeutil import utcnow
from app.extensions import db
from app.safety import events
from app.safety.models import OPEN_STATUSES, RESOLVED, Incident
from app.safety.service import responders
from app.safety.service.common import SYSTEM, Who, setting
from app.safety.service.timeline import add_step, create_incident

PLACE_COLUMNS = (Incident.id, Incident.lat, Incident.lng, Incident.temple_id, Incident.zone, Incident.reported_at)


@dataclass(frozen=True)
class Signal:
    """Another domain's event, as an incident it may become."""

    source: str
    ref: str
    type: str
    severity: str
    title: str
    reporter: str
    opens: bool
    description: str | None = None
    lat: float | None = None
    lng: float | None = None
    temple_id: int | None = None
    zone: str | None = None
    location_text: str | None = None


def _distance(lat, lng, temple_id, zone, row) -> float | None:
    """Metres between a place and an incident (0 for the same temple/zone), None when not near."""
    if lat is not None and row.lat is not None:
        metres = haversine_m(lat, lng, row.lat, row.lng)
        return metres if metres <= setting("LINK_RADIUS_M") else None
    if temple_id is not None and temple_id == row.temple_id and (not zone or not row.zone or zone == row.zone):
        return 0.0
    return None


def find_primary(*, lat=None, lng=None, temple_id=None, zone=None, exclude_id=None) -> Incident | None:
    """The open incident nearest to a place within the time window (its primary when it is linked)."""
    since = utcnow() - timedelta(minutes=setting("LINK_WINDOW_MINUTES"))
    stmt = select(*PLACE_COLUMNS).where(Incident.status.in_(OPEN_STATUSES), Incident.reported_at >= since)
    if exclude_id is not None:
        stmt = stmt.where(Incident.id != exclude_id)
    near = [(d, row.reported_at, row.id) for row in db.session.execute(stmt)
            if (d := _distance(lat, lng, temple_id, zone, row)) is not None]
    if not near:
        return None
    best = db.session.get(Incident, min(near)[2])
    return best.primary if best.primary is not None and best.primary.status != RESOLVED else best


def link(incident: Incident, primary: Incident, *, who: Who | None = None) -> None:
    """Attach ``incident`` to ``primary``: both timelines say so, and the primary is re-emitted."""
    incident.primary = primary
    add_step(incident, "linked", f"Related to {primary.code}: {primary.title}", who=who)
    add_step(primary, "linked", f"{incident.code} attached: {incident.title}", who=who)
    events.incident_updated(primary, action="link", changes={"related": [None, incident.code]})


def link_nearby(incident: Incident) -> Incident | None:
    """Link a new incident to the open incident near it, if any; return that primary."""
    primary = find_primary(lat=incident.lat, lng=incident.lng, temple_id=incident.temple_id, zone=incident.zone,
                           exclude_id=incident.id)
    if primary is not None:
        link(incident, primary)
    return primary


def _open_with_ref(ref: str) -> bool:
    stmt = select(Incident.id).where(Incident.source_ref == ref, Incident.status.in_(OPEN_STATUSES)).limit(1)
    return db.session.scalar(stmt) is not None


@transactional
def take_signal(signal: Signal) -> Incident | None:
    """Turn another domain's event into a linked (or, for emergencies, a new) incident; None when ignored."""
    if _open_with_ref(signal.ref):
        return None
    primary = find_primary(lat=signal.lat, lng=signal.lng, temple_id=signal.temple_id, zone=signal.zone)
    if primary is None and not signal.opens:
        return None
    incident = create_incident(source=signal.source, source_ref=signal.ref, type=signal.type,
                               severity=signal.severity, title=signal.title, description=signal.description,
                               reporter_name=signal.reporter, lat=signal.lat, lng=signal.lng,
                               temple=signal.temple_id, zone=signal.zone if signal.temple_id else None,
                               location_text=signal.location_text, who=SYSTEM)
    if primary is not None:
        link(incident, primary, who=SYSTEM)
    events.incident_reported(incident)
    if primary is None:
        responders.notify_new_incident(incident)
    return incident


# --- subscribers: other domains' events, by name ---------------------------------------------

def on_zone_critical(evt: Event) -> None:
    """A temple zone turned critical (``temples.zone_critical``): a crowd incident, linked when near one."""
    p = evt.payload
    take_signal(Signal(
        source="crowd", ref=f"crowd:{p.get('temple_id')}:{p.get('zone')}", type="crowd", severity="high",
        title=f"{p.get('name') or p.get('zone')} is critically crowded", reporter="Crowd monitoring",
        description=f"{p.get('count')} people, {p.get('density_pct')}% of the capacity of {p.get('capacity')}.",
        lat=p.get("lat"), lng=p.get("lng"), temple_id=p.get("temple_id"), zone=p.get("zone"), opens=True))


def on_alert_created(evt: Event) -> None:
    """A critical alert for a temple or zone (``alerts.alert_created``) joins the incident at that place."""
    p = evt.payload
    if p.get("severity") != "critical" or p.get("temple_id") is None or p.get("source") == "safety":
        return
    take_signal(Signal(
        source="alert", ref=f"alert:{p.get('id')}", type="crowd" if p.get("source") == "crowd" else "other",
        severity="critical", title=f"Alert: {p.get('title')}", description=p.get("message"),
        reporter="Platform alerts", temple_id=p.get("temple_id"), zone=p.get("zone"), opens=False))


def on_environment_alert(evt: Event) -> None:
    """An air-quality alarm (``city.environment_alert``): linked when near an incident; critical ones open one."""
    p = evt.payload
    if p.get("severity") not in ("warning", "critical") or p.get("lat") is None:
        return
    take_signal(Signal(
        source="environment", ref=f"environment:{p.get('zone')}:{p.get('category')}", type="environment",
        severity="high" if p["severity"] == "critical" else "medium",
        title=f"Air quality {p.get('category')} in {p.get('zone')} (AQI {p.get('aqi')})",
        description=f"Dominant pollutant {p.get('dominant_pollutant')}; it was {p.get('previous_category')}.",
        reporter="City air monitoring", lat=p["lat"], lng=p.get("lng"), location_text=f"City zone {p.get('zone')}",
        opens=p["severity"] == "critical"))


def on_lot_full(evt: Event) -> None:
    """A car park filled up (``parking.lot_full``): traffic pressure on an incident nearby."""
    p = evt.payload
    if p.get("lat") is None or p.get("lng") is None:
        return
    take_signal(Signal(
        source="parking", ref=f"parking:{p.get('lot_id')}", type="traffic", severity="medium",
        title=f"Car park full: {p.get('name')}", description=f"All {p.get('total_spots')} spots taken.",
        reporter="Parking", lat=p["lat"], lng=p["lng"], opens=False))
