"""SOS and incidents (PW-14, PW-18, SC-7): report, read, and move along the state machine.

reported → acknowledged → in_progress → resolved, each step one conditional UPDATE, so when
two officers acknowledge at once one wins and the other gets 409 ``invalid_transition``. Every
step adds a timeline row (who, when, note) and is emitted after commit.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, select

from app.core.events import transactional
from app.core.security import ADMIN, OPERATOR, SAFETY_OFFICER, ensure_owner_or_roles
from app.core.states import transition
from app.core.timeutil import utcnow
from app.extensions import db
from app.safety import events
from app.safety.errors import IncidentNotFound, InvalidTransition
from app.safety.models import ACKNOWLEDGED, IN_PROGRESS, OPEN_STATUSES, REPORTED, RESOLVED, Incident
from app.safety.service import linking, responders
from app.safety.service.common import place
from app.safety.service.dispatch import release_all
from app.safety.service.timeline import add_step, create_incident, get_incident

RESPONDERS = (ADMIN, OPERATOR, SAFETY_OFFICER)
# An SOS is somebody pressing the emergency button: a life may be at stake for these types.
SOS_SEVERITY = {"medical": "critical", "fire": "critical", "security": "critical"}
SOS_TITLES = {"medical": "Medical emergency", "fire": "Fire", "security": "Security threat",
              "lost_person": "Lost person", "crowd": "Crowd danger", "other": "Emergency"}
# step -> (statuses it may start from, timestamp column, timeline action, audit verb)
STEPS = {ACKNOWLEDGED: ((REPORTED,), "acknowledged_at", "acknowledged", "acknowledge"),
         IN_PROGRESS: ((ACKNOWLEDGED,), "started_at", "started", "start"),
         RESOLVED: ((IN_PROGRESS,), "resolved_at", "resolved", "resolve")}
SEVERITY_RANK = case({"critical": 4, "high": 3, "medium": 2, "low": 1}, value=Incident.severity)


def _announce(incident: Incident) -> Incident:
    linking.link_nearby(incident)
    events.incident_reported(incident)
    responders.notify_new_incident(incident)
    return incident


@transactional
def report_sos(*, user, type: str, lat: float, lng: float, temple=None, zone=None,
               description: str | None = None) -> Incident:
    """Raise an SOS at a position: responders are notified and the board shows it at once."""
    incident = create_incident(source="sos", type=type, severity=SOS_SEVERITY.get(type, "high"),
                               title=SOS_TITLES[type], reporter=user, lat=lat, lng=lng, temple=temple,
                               zone=zone, description=description)
    if incident.temple:
        incident.title += f" at {incident.temple}" + (f" / {incident.zone}" if incident.zone else "")
    return _announce(incident)


@transactional
def report_incident(*, user, type: str, severity: str, title: str, description: str | None = None,
                    lat: float | None = None, lng: float | None = None, temple=None, zone=None,
                    location_text: str | None = None) -> Incident:
    """Report a workplace or city incident."""
    incident = create_incident(source="staff", type=type, severity=severity, title=title, reporter=user,
                               description=description, lat=lat, lng=lng, temple=temple, zone=zone,
                               location_text=location_text)
    return _announce(incident)


def incident_for(*, user, code: str) -> Incident:
    """An incident as ``user`` may see it: responders see all, a reporter only their own (others: 404)."""
    incident = db.session.scalar(select(Incident).where(Incident.code == code.upper()))
    return ensure_owner_or_roles(user, incident, *RESPONDERS, owner="reported_by_id", missing=IncidentNotFound)


def list_incidents(*, status: str | None = None, temple: str | None = None, type: str | None = None,
                   date_from: datetime | None = None, date_to: datetime | None = None):
    """A select of incidents, newest first, filtered (history, paginated by the caller)."""
    stmt = select(Incident).order_by(Incident.reported_at.desc(), Incident.id.desc())
    if temple is not None:
        temple_id, _slug, _zone = place(temple, None)
        stmt = stmt.where(Incident.temple_id == temple_id)
    for column, value in ((Incident.status, status), (Incident.type, type)):
        if value is not None:
            stmt = stmt.where(column == value)
    if date_from is not None:
        stmt = stmt.where(Incident.reported_at >= date_from)
    if date_to is not None:
        stmt = stmt.where(Incident.reported_at < date_to)
    return stmt


def active_incidents(*, temple: str | None = None) -> list[Incident]:
    """Open incidents, most severe first, then oldest first (the board's order)."""
    stmt = select(Incident).where(Incident.status.in_(OPEN_STATUSES))
    if temple is not None:
        stmt = stmt.where(Incident.temple_id == place(temple, None)[0])
    return list(db.session.scalars(stmt.order_by(SEVERITY_RANK.desc(), Incident.reported_at, Incident.id)))


def emergency_snapshot(scope: dict) -> dict:
    """What a new `emergency` subscriber receives at once: the open incidents of its temple and zone (or all)."""
    stmt = select(Incident).where(Incident.status.in_(OPEN_STATUSES))
    if scope.get("temple_id") is not None:
        stmt = stmt.where(Incident.temple_id == scope["temple_id"])
    if scope.get("zone"):
        stmt = stmt.where(Incident.zone == scope["zone"])
    ordered = stmt.order_by(SEVERITY_RANK.desc(), Incident.reported_at, Incident.id)
    return {"snapshot": True, "incidents": [events.incident_payload(i) for i in db.session.scalars(ordered)]}


def _advance(code: str, to: str, note: str | None) -> Incident:
    incident = get_incident(code)
    from_, column, action, verb = STEPS[to]
    before, now = incident.status, utcnow()
    if not transition(Incident, incident.id, from_=from_, to=to, values={column: now}):
        db.session.refresh(incident)
        raise InvalidTransition(f"{incident.code} is {incident.status}; it cannot be {action} now.")
    db.session.refresh(incident)
    add_step(incident, action, note, at=now)
    if to == RESOLVED:
        release_all(incident)
    events.incident_updated(incident, action=verb, changes={"status": [before, to]})
    return incident


@transactional
def acknowledge_incident(*, code: str, note: str | None = None) -> Incident:
    """Acknowledge a reported incident (the first responder to do so wins; the others get 409)."""
    return _advance(code, ACKNOWLEDGED, note)


@transactional
def start_incident(*, code: str, note: str | None = None) -> Incident:
    """Mark an acknowledged incident as being worked on."""
    return _advance(code, IN_PROGRESS, note)


@transactional
def resolve_incident(*, code: str, note: str | None = None) -> Incident:
    """Resolve an incident in progress; units still serving it are released."""
    return _advance(code, RESOLVED, note)
