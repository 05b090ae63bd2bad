"""Units and dispatch through the service (SC-7): nearest fitting unit, named unit, one incident per unit,
arrival and release, positions from devices and officers."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.context import Actor, set_actor
from app.core.errors import Conflict, Forbidden, ValidationFailed
from app.extensions import db
from app.safety import service
from app.safety.errors import InvalidTransition, NoUnitAvailable, UnitBusy
from app.safety.models import Dispatch, Unit
from tests.safety.conftest import SOMNATH

# Points east of Somnath temple, roughly 0.5 km, 1 km and 3 km away.
NEAR, MID, FAR = (20.8880, 70.4061), (20.8880, 70.4109), (20.8880, 70.4301)


def unit(kind: str, name: str, at=MID, **kwargs) -> Unit:
    return service.create_unit(kind=kind, name=name, lat=at[0], lng=at[1], **kwargs)


def sos(pilgrim, kind="medical", at=SOMNATH):
    return service.report_sos(user=pilgrim, type=kind, lat=at[0], lng=at[1])


def test_dispatch_picks_the_nearest_available_unit_of_a_fitting_kind(pilgrim):  # SC-7
    unit("ambulance", "108 Far", FAR)
    unit("fire", "Fire engine near", NEAR)
    unit("medical_team", "Medical team mid", MID)
    unit("ambulance", "108 Busy", NEAR, status="out_of_service")
    incident = service.dispatch_unit(code=sos(pilgrim).code)
    [sent] = incident.dispatches
    assert sent.unit.name == "Medical team mid" and sent.unit.status == "dispatched"
    assert 950 < sent.distance_m < 1050
    assert incident.first_dispatched_at is not None
    assert incident.steps[-1].action == "dispatched" and "1.0 km away" in incident.steps[-1].note


def test_the_next_nearest_goes_when_the_nearest_is_busy(pilgrim):
    unit("ambulance", "108 Near", NEAR)
    unit("ambulance", "108 Far", FAR)
    first = service.dispatch_unit(code=sos(pilgrim).code)
    second = service.dispatch_unit(code=sos(pilgrim, at=(20.95, 70.45)).code)
    assert first.dispatches[0].unit.name == "108 Near" and second.dispatches[0].unit.name == "108 Far"
    with pytest.raises(NoUnitAvailable) as caught:
        service.dispatch_unit(code=sos(pilgrim, at=(21.5, 71.0)).code)
    assert caught.value.error == "no_unit_available" and "ambulance or medical team" in caught.value.message


def test_a_named_unit_is_sent_when_free_and_refused_when_busy_or_unfit(pilgrim):  # SC-7
    police = unit("police", "PCR 12", FAR)
    fire = unit("fire", "Fire 1", NEAR)
    lost = sos(pilgrim, kind="lost_person")
    assert service.dispatch_unit(code=lost.code, unit_id=police.id).dispatches[0].unit_id == police.id
    with pytest.raises(NoUnitAvailable, match="PCR 12 is dispatched"):
        service.dispatch_unit(code=sos(pilgrim, kind="security", at=FAR).code, unit_id=police.id)
    medical = sos(pilgrim, at=(21.2, 70.9))
    with pytest.raises(ValidationFailed) as caught:
        service.dispatch_unit(code=medical.code, unit_id=fire.id)
    assert "does not fit a medical incident" in caught.value.errors["unit_id"][0]
    db.session.expire_all()
    assert db.session.get(Unit, fire.id).status == "available"
    assert db.session.query(Dispatch).filter_by(incident_id=medical.id).count() == 0


def test_arrival_and_release_record_times_and_free_the_unit(pilgrim, officer, act_as, clock):  # SC-7
    act_as(officer)
    amb = unit("ambulance", "108 A", NEAR)
    incident = service.dispatch_unit(code=sos(pilgrim).code)
    clock.tick(timedelta(minutes=6))
    assert service.unit_arrived(unit_id=amb.id).status == "on_scene"
    with pytest.raises(InvalidTransition):
        service.unit_arrived(unit_id=amb.id)
    clock.tick(timedelta(minutes=20))
    assert service.unit_released(unit_id=amb.id).status == "available"
    with pytest.raises(InvalidTransition, match="no incident"):
        service.unit_released(unit_id=amb.id)
    db.session.refresh(incident)
    [dispatch] = incident.dispatches
    assert round((dispatch.arrived_at - dispatch.dispatched_at).total_seconds() / 60) == 6
    assert dispatch.released_at > dispatch.arrived_at
    assert round((incident.first_arrived_at - incident.reported_at).total_seconds() / 60) == 6
    assert [s.action for s in incident.steps] == ["reported", "dispatched", "arrived", "released"]
    assert incident.steps[2].by_name == "Meera Joshi"


def test_resolving_an_incident_releases_its_units(pilgrim):
    amb, team = unit("ambulance", "108 A", NEAR), unit("medical_team", "Team B", MID)
    code = sos(pilgrim).code
    service.dispatch_unit(code=code, unit_id=amb.id)
    service.dispatch_unit(code=code, unit_id=team.id)
    for step in ("acknowledge_incident", "start_incident", "resolve_incident"):
        incident = getattr(service, step)(code=code)
    assert {d.unit.status for d in incident.dispatches} == {"available"}
    assert all(d.released_at is not None for d in incident.dispatches)
    with pytest.raises(InvalidTransition, match="resolved"):
        service.dispatch_unit(code=code)


def test_a_busy_unit_cannot_be_edited_out_of_its_dispatch(pilgrim):
    amb = unit("ambulance", "108 A", NEAR)
    service.dispatch_unit(code=sos(pilgrim).code)
    with pytest.raises(UnitBusy) as caught:
        service.update_unit(unit_id=amb.id, status="available")
    assert caught.value.status == 409
    assert service.update_unit(unit_id=amb.id, name="108 Alpha").name == "108 Alpha"
    assert db.session.get(Unit, amb.id).status == "dispatched"


def test_unit_names_are_unique_and_devices_must_exist():
    unit("police", "PCR 1")
    with pytest.raises(Conflict):
        unit("police", "PCR 1")
    with pytest.raises(ValidationFailed) as caught:
        unit("police", "PCR 2", device_id=999)
    assert "device_id" in caught.value.errors


def test_only_the_bound_device_reports_for_a_unit(clock):
    from app.auth import service as auth

    tracker, _key = auth.create_device(name="108 A tracker", kind="sensor")
    other, _key = auth.create_device(name="some sign", kind="sign")
    amb = unit("ambulance", "108 A", NEAR, device_id=tracker.id)
    set_actor(Actor("device", other.id, other.name))
    with pytest.raises(Forbidden):
        service.record_position(unit_id=amb.id, lat=20.9, lng=70.4)
    set_actor(Actor("device", tracker.id, tracker.name))
    service.record_position(unit_id=amb.id, lat=20.9, lng=70.41)
    assert (amb.lat, amb.lng) == (20.9, 70.41)


def test_positions_move_the_unit_but_an_older_one_does_not(clock):
    from app.core.timeutil import utcnow

    amb = unit("ambulance", "108 A", NEAR)
    clock.tick(timedelta(minutes=1))
    service.record_position(unit_id=amb.id, lat=20.90, lng=70.40)
    service.record_position(unit_id=amb.id, lat=20.80, lng=70.30, at=utcnow() - timedelta(minutes=10))
    assert (amb.lat, amb.lng) == (20.90, 70.40)
    with pytest.raises(ValidationFailed):
        service.record_position(unit_id=amb.id, lat=20.9, lng=70.4, at=utcnow() + timedelta(hours=1))


def test_the_database_refuses_a_second_active_dispatch_of_a_unit(pilgrim):
    from sqlalchemy.exc import IntegrityError

    from app.core.timeutil import utcnow

    amb = unit("ambulance", "108 A", NEAR)
    first, second = sos(pilgrim), sos(pilgrim, at=FAR)
    db.session.add(Dispatch(incident_id=first.id, unit_id=amb.id, dispatched_at=utcnow()))
    db.session.flush()
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(Dispatch(incident_id=second.id, unit_id=amb.id, dispatched_at=utcnow()))
        db.session.flush()
