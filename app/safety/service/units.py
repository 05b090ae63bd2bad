"""Emergency units (SC-7): ambulances, fire engines, police and medical teams, and their positions.

A unit bound to a device (``device_id``) may report its own position, arrival and release with
that device's key; officers may do so for any unit. While a unit serves an incident its status
belongs to the dispatch (dispatched → on_scene → available) and cannot be edited.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from app.auth import service as auth_service
from app.core.context import current_actor
from app.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.core.events import transactional
from app.core.states import transition
from app.core.timeutil import utcnow
from app.extensions import db
from app.safety import events
from app.safety.errors import UnitBusy, UnitNotFound
from app.safety.models import AVAILABLE, OUT_OF_SERVICE, RETURNING, Unit, UnitPosition
from app.safety.service.common import place

EDITABLE = (AVAILABLE, RETURNING, OUT_OF_SERVICE)
CLOCK_SKEW = timedelta(minutes=5)


def get_unit(unit_id: int) -> Unit:
    """Return a unit or raise 404."""
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        raise UnitNotFound()
    return unit


def list_units(*, kind: str | None = None, status: str | None = None) -> list[Unit]:
    """Units by kind and name, optionally filtered."""
    stmt = select(Unit).order_by(Unit.kind, Unit.name)
    for column, value in ((Unit.kind, kind), (Unit.status, status)):
        if value is not None:
            stmt = stmt.where(column == value)
    return list(db.session.scalars(stmt))


def _check_name(name: str, unit_id: int | None = None) -> None:
    taken = db.session.scalar(select(Unit.id).where(Unit.name == name))
    if taken is not None and taken != unit_id:
        raise Conflict(f"A unit named {name!r} already exists.")


def _check_device(device_id: int | None) -> None:
    if device_id is None:
        return
    try:
        device = auth_service.get_device(device_id)
    except NotFound as exc:
        raise ValidationFailed({"device_id": [f"No device with id {device_id}."]}) from exc
    if not device.is_active:
        raise ValidationFailed({"device_id": ["This device's key is revoked."]})


def check_reporter(unit: Unit) -> None:
    """A device may speak only for the unit it is bound to (officers for every unit)."""
    actor = current_actor()
    if actor.kind == "device" and unit.device_id != actor.id:
        raise Forbidden(f"This device is not bound to unit {unit.name!r}.")


@transactional
def create_unit(*, kind: str, name: str, lat: float, lng: float, status: str = AVAILABLE, temple=None,
                device_id: int | None = None) -> Unit:
    """Register a unit at a position (409 when the name is taken)."""
    _check_name(name)
    _check_device(device_id)
    temple_id = place(temple, None)[0]
    now = utcnow()
    unit = Unit(kind=kind, name=name, lat=lat, lng=lng, status=status, temple_id=temple_id, device_id=device_id,
                position_at=now, status_changed_at=now, created_at=now)
    db.session.add(unit)
    db.session.flush()
    events.record_changed("unit_created", entity="unit", entity_id=unit.id, action="create",
                          changes={"kind": [None, kind], "name": [None, name], "status": [None, status]})
    return unit


def _set_status(unit: Unit, status: str) -> None:
    if status == unit.status:
        return
    if not transition(Unit, unit.id, from_=EDITABLE, to=status, values={"status_changed_at": utcnow()}):
        db.session.refresh(unit)
        raise UnitBusy(f"{unit.name} is {unit.status}: release it from its incident first.")
    db.session.refresh(unit)


@transactional
def update_unit(*, unit_id: int, **changes) -> Unit:
    """Rename, move, rebase, bind to a device, or take in or out of service."""
    unit = get_unit(unit_id)
    before = {k: getattr(unit, k) for k in ("name", "lat", "lng", "status", "temple_id", "device_id")}
    if "name" in changes:
        _check_name(changes["name"], unit.id)
        unit.name = changes["name"]
    if "device_id" in changes:
        _check_device(changes["device_id"])
        unit.device_id = changes["device_id"]
    if "temple" in changes:
        unit.temple_id = place(changes["temple"], None)[0]
    if "lat" in changes:
        unit.lat, unit.lng, unit.position_at = changes["lat"], changes["lng"], utcnow()
    if "status" in changes:
        _set_status(unit, changes["status"])
    diff = {k: [v, getattr(unit, k)] for k, v in before.items() if getattr(unit, k) != v}
    events.record_changed("unit_updated", entity="unit", entity_id=unit.id, action="update", changes=diff)
    return unit


@transactional
def record_position(*, unit_id: int, lat: float, lng: float, at: datetime | None = None) -> UnitPosition:
    """Store a unit's position; the unit moves there unless a newer position is already known."""
    unit = get_unit(unit_id)
    check_reporter(unit)
    now = utcnow()
    at = at or now
    if at > now + CLOCK_SKEW:
        raise ValidationFailed({"at": ["A position cannot be from the future."]})
    position = UnitPosition(unit_id=unit.id, lat=lat, lng=lng, at=at)
    db.session.add(position)
    if unit.position_at is None or at >= unit.position_at:
        unit.lat, unit.lng, unit.position_at = lat, lng, at
    db.session.flush()
    events.unit_moved(unit)
    return position
