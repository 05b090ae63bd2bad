"""The incident record and its timeline: the building blocks every incident use case shares."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.core.timeutil import utcnow
from app.extensions import db
from app.safety.errors import IncidentNotFound
from app.safety.models import REPORTED, Incident, IncidentStep
from app.safety.service.common import Who, acting, new_code, place


def add_step(incident: Incident, action: str, note: str | None = None, *, who: Who | None = None,
             at: datetime | None = None) -> IncidentStep:
    """Append a timeline row to an incident."""
    who = who or acting()
    step = IncidentStep(incident_id=incident.id, at=at or utcnow(), action=action, status=incident.status,
                        by_kind=who.kind, by_id=who.id, by_name=who.name, note=note)
    incident.steps.append(step)
    return step


def create_incident(*, source: str, type: str, severity: str, title: str, reporter=None,
                    reporter_name: str | None = None, temple=None, zone=None,
                    who: Who | None = None, **fields) -> Incident:
    """Insert an incident with its first timeline row (callers own the transaction and the events)."""
    temple_id, slug, zone = place(temple, zone)
    if reporter is not None:
        reporter_name = reporter.full_name
        who = who or Who("user", reporter.id, reporter_name)
    code = new_code(Incident, "SOS" if source == "sos" else "INC")
    incident = Incident(code=code, source=source, type=type, severity=severity, title=title,
                        status=REPORTED, temple_id=temple_id, temple=slug, zone=zone,
                        reported_by_id=reporter.id if reporter else None, reported_by_name=reporter_name,
                        reported_at=fields.pop("reported_at", None) or utcnow(), **fields)
    db.session.add(incident)
    db.session.flush()
    add_step(incident, "reported", who=who, at=incident.reported_at)
    return incident


def get_incident(code: str) -> Incident:
    """Return an incident by code or raise 404."""
    incident = db.session.scalar(select(Incident).where(Incident.code == code.upper()))
    if incident is None:
        raise IncidentNotFound()
    return incident
