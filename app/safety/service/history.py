"""Historical incident reports (PW-18): enter an incident that already happened, with the times of its steps.

Used to import an earlier log and by the demo data. An import inserts rows as they were (it moves
no live unit and notifies nobody); ``ref`` makes it idempotent.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.core.errors import ValidationFailed
from app.core.events import transactional
from app.extensions import db
from app.safety import events
from app.safety.models import Dispatch, Incident
from app.safety.service.common import SYSTEM
from app.safety.service.timeline import add_step, create_incident
from app.safety.service.units import get_unit

# timeline action -> (status after it, timestamp column)
PAST_STEPS = {"acknowledged": ("acknowledged", "acknowledged_at"), "started": ("in_progress", "started_at"),
              "resolved": ("resolved", "resolved_at")}


def _check_order(reported_at: datetime, steps: dict[str, datetime]) -> None:
    times = [reported_at] + [steps[a] for a in PAST_STEPS if a in steps]
    names = [a for a in PAST_STEPS if a in steps]
    if names != list(PAST_STEPS)[:len(names)] or times != sorted(times):
        raise ValidationFailed({"steps": ["Steps must follow reported → acknowledged → started → resolved in time."]})


def _past_dispatch(incident: Incident, spec: dict) -> list[tuple[datetime, str, str]]:
    unit = get_unit(spec["unit_id"])
    times = [incident.reported_at, spec["dispatched_at"], spec.get("arrived_at") or spec["dispatched_at"],
             spec["released_at"]]
    if times != sorted(times):
        raise ValidationFailed({"dispatches": ["A unit is dispatched after the report, arrives, then is released."]})
    db.session.add(Dispatch(incident_id=incident.id, unit_id=unit.id, distance_m=spec.get("distance_m"),
                            dispatched_at=spec["dispatched_at"], arrived_at=spec.get("arrived_at"),
                            released_at=spec["released_at"]))
    incident.first_dispatched_at = min(filter(None, (incident.first_dispatched_at, spec["dispatched_at"])))
    if spec.get("arrived_at"):
        incident.first_arrived_at = min(filter(None, (incident.first_arrived_at, spec["arrived_at"])))
    steps = [(spec["dispatched_at"], "dispatched", f"{unit.name} dispatched."),
             (spec["released_at"], "released", f"{unit.name} released.")]
    return steps + ([(spec["arrived_at"], "arrived", f"{unit.name} on scene.")] if spec.get("arrived_at") else [])


@transactional
def record_past_incident(*, ref: str, source: str, type: str, severity: str, title: str, reported_at: datetime,
                         steps: dict[str, datetime] | None = None, dispatches: list[dict] | None = None,
                         reporter_name: str | None = None, **place) -> Incident | None:
    """Enter a past incident with its step times and released dispatches; None when ``ref`` was entered before."""
    if db.session.scalar(select(Incident.id).where(Incident.source_ref == ref)) is not None:
        return None
    steps = steps or {}
    _check_order(reported_at, steps)
    incident = create_incident(source=source, source_ref=ref, type=type, severity=severity, title=title,
                               reporter_name=reporter_name, reported_at=reported_at, who=SYSTEM, **place)
    timeline = [step for spec in dispatches or [] for step in _past_dispatch(incident, spec)]
    for action, (_status, column) in PAST_STEPS.items():
        if action in steps:
            setattr(incident, column, steps[action])
            timeline.append((steps[action], action, None))
    for at, action, note in sorted(timeline, key=lambda step: (step[0], step[1] not in PAST_STEPS)):
        incident.status = PAST_STEPS[action][0] if action in PAST_STEPS else incident.status
        add_step(incident, action, note, who=SYSTEM, at=at)
    events.incident_reported(incident)
    return incident
