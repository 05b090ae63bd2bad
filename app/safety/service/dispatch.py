"""Dispatch (SC-7): send the nearest available unit of a fitting kind, or the one named; arrival, release.

A unit serves one incident at a time. Claiming it is one conditional UPDATE
(``status = 'available'`` → ``'dispatched'``), so two dispatchers racing for the same unit get one
winner; the partial unique index on active dispatches backs that in the schema. When the
nearest unit is taken meanwhile the next nearest is tried.

Distance is great-circle (haversine) from the unit's last position: units are a few kilometres
from a temple, where the road network adds a similar detour to every candidate, so the order
is the same; a road-graph ETA would need the city's live traffic model and buys little here.
"""

from __future__ import annotations

from sqlalchemy import func, select, update

from app.core.context import current_actor
from app.core.errors import ValidationFailed
from app.core.events import transactional
from app.core.geo import haversine_m
from app.core.states import transition
from app.core.timeutil import utcnow
from app.extensions import db
from app.safety import events
from app.safety.errors import InvalidTransition, NoUnitAvailable
from app.safety.models import AVAILABLE, DISPATCHED, ON_SCENE, RESOLVED, UNIT_KINDS, Dispatch, Incident, Unit
from app.safety.service.timeline import add_step, get_incident
from app.safety.service.units import check_reporter, get_unit

FITTING = {"medical": ("ambulance", "medical_team"), "injury": ("ambulance", "medical_team"),
           "fire": ("fire",), "hazmat": ("fire",), "structural": ("fire", "police"),
           "security": ("police",), "lost_person": ("police",), "traffic": ("police",),
           "crowd": ("police", "medical_team"), "environment": ("medical_team", "ambulance"),
           "near_miss": UNIT_KINDS, "other": UNIT_KINDS}


def fitting_kinds(incident_type: str) -> tuple[str, ...]:
    """The unit kinds that can serve an incident of this type."""
    return FITTING.get(incident_type, UNIT_KINDS)


def _distance(incident: Incident, lat: float, lng: float) -> float | None:
    return None if incident.lat is None else round(haversine_m(incident.lat, incident.lng, lat, lng), 1)


def _claim(unit_id: int) -> bool:
    return transition(Unit, unit_id, from_=(AVAILABLE,), to=DISPATCHED, values={"status_changed_at": utcnow()})


def _named(incident: Incident, unit_id: int, kinds: tuple[str, ...]) -> Unit:
    unit = get_unit(unit_id)
    if unit.kind not in kinds:
        raise ValidationFailed({"unit_id": [f"A {unit.kind} unit does not fit a {incident.type} incident; "
                                            f"send one of: {', '.join(kinds)}."]})
    if not _claim(unit.id):
        db.session.refresh(unit)
        raise NoUnitAvailable(f"{unit.name} is {unit.status.replace('_', ' ')}, not available.")
    return unit


def _rank(incident: Incident, row) -> tuple:
    """Nearest first; without a position: units based at the incident's temple, then the longest idle."""
    if incident.lat is not None:
        return (haversine_m(incident.lat, incident.lng, row.lat, row.lng),)
    return (0 if incident.temple_id is not None and row.temple_id == incident.temple_id else 1,
            row.status_changed_at)


def _nearest(incident: Incident, kinds: tuple[str, ...]) -> Unit:
    stmt = select(Unit.id, Unit.lat, Unit.lng, Unit.temple_id, Unit.status_changed_at).where(
        Unit.status == AVAILABLE, Unit.kind.in_(kinds))
    for row in sorted(db.session.execute(stmt), key=lambda r: _rank(incident, r)):
        if _claim(row.id):
            return get_unit(row.id)
    raise NoUnitAvailable(f"No {' or '.join(k.replace('_', ' ') for k in kinds)} unit is available.")


def _first(column, incident: Incident, at) -> None:
    db.session.execute(update(Incident).where(Incident.id == incident.id).values({column: func.coalesce(
        getattr(Incident, column), at)}).execution_options(synchronize_session=False))


@transactional
def dispatch_unit(*, code: str, unit_id: int | None = None) -> Incident:
    """Send a unit to an open incident: the one named, or the nearest available one of a fitting kind."""
    incident = get_incident(code)
    if incident.status == RESOLVED:
        raise InvalidTransition(f"{incident.code} is resolved; no unit can be sent.")
    kinds = fitting_kinds(incident.type)
    unit = _named(incident, unit_id, kinds) if unit_id is not None else _nearest(incident, kinds)
    db.session.refresh(unit)
    now, actor, away = utcnow(), current_actor(), _distance(incident, unit.lat, unit.lng)
    db.session.add(Dispatch(incident_id=incident.id, unit_id=unit.id, distance_m=away, dispatched_at=now,
                            dispatched_by_id=actor.id if actor.kind == "user" else None))
    db.session.flush()
    _first("first_dispatched_at", incident, now)
    db.session.refresh(incident)
    add_step(incident, "dispatched", f"{unit.name} ({unit.kind.replace('_', ' ')}) dispatched"
             + (f", {away / 1000:.1f} km away." if away is not None else "."))
    events.incident_updated(incident, action="dispatch", changes={"units": [None, unit.name]})
    return incident


def _active(unit: Unit, action: str) -> Dispatch:
    dispatch = db.session.scalar(select(Dispatch).where(Dispatch.unit_id == unit.id, Dispatch.released_at.is_(None)))
    if dispatch is None:
        raise InvalidTransition(f"{unit.name} is {unit.status.replace('_', ' ')}; it has no incident to {action}.")
    return dispatch


def _after_unit_step(unit: Unit, dispatch: Dispatch, action: str, note: str) -> Unit:
    incident = dispatch.incident
    db.session.refresh(incident)
    add_step(incident, action, note)
    events.incident_updated(incident, action=action, changes={"units": [unit.name, unit.status]})
    return unit


@transactional
def unit_arrived(*, unit_id: int) -> Unit:
    """Record that a dispatched unit is on scene (the incident's time to arrive is kept)."""
    unit = get_unit(unit_id)
    check_reporter(unit)
    dispatch = _active(unit, "arrive at")
    now = utcnow()
    if not transition(Unit, unit.id, from_=(DISPATCHED,), to=ON_SCENE, values={"status_changed_at": now}):
        raise InvalidTransition(f"{unit.name} is already on scene.")
    db.session.refresh(unit)
    dispatch.arrived_at = now
    _first("first_arrived_at", dispatch.incident, now)
    return _after_unit_step(unit, dispatch, "arrived", f"{unit.name} on scene.")


def _release(unit: Unit, dispatch: Dispatch, now) -> bool:
    freed = transition(Unit, unit.id, from_=(DISPATCHED, ON_SCENE), to=AVAILABLE, values={"status_changed_at": now})
    if freed:
        dispatch.released_at = now
        db.session.refresh(unit)
    return freed


@transactional
def unit_released(*, unit_id: int) -> Unit:
    """Free a unit from its incident: it is available again."""
    unit = get_unit(unit_id)
    check_reporter(unit)
    dispatch = _active(unit, "be released from")
    if not _release(unit, dispatch, utcnow()):
        raise InvalidTransition(f"{unit.name} was released meanwhile.")
    return _after_unit_step(unit, dispatch, "released", f"{unit.name} released, available again.")


def release_all(incident: Incident) -> int:
    """Release every unit still serving a resolved incident (inside the resolve transaction)."""
    now, released = utcnow(), 0
    for dispatch in [d for d in incident.dispatches if d.released_at is None]:
        if _release(dispatch.unit, dispatch, now):
            add_step(incident, "released", f"{dispatch.unit.name} released on resolution.", at=now)
            released += 1
    return released
