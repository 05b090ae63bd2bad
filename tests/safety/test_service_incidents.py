"""SOS and incidents through the service: codes, the state machine, the timeline, visibility, lists, events."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.core.errors import ValidationFailed
from app.extensions import db
from app.safety import service
from app.safety.errors import IncidentNotFound, InvalidTransition
from app.safety.models import Incident
from tests.safety.conftest import SOMNATH


def sos(pilgrim, **overrides):
    body = {"type": "medical", "lat": SOMNATH[0], "lng": SOMNATH[1]}
    return service.report_sos(user=pilgrim, **{**body, **overrides})


def test_sos_gets_a_human_code_and_starts_reported_with_a_timeline(pilgrim, somnath):  # PW-14
    incident = sos(pilgrim, temple="somnath", zone="mainDarshan", description="Elderly man collapsed")
    assert re.fullmatch(r"SOS-[2-9A-HJKMNP-Z]{6}", incident.code)
    assert (incident.status, incident.severity, incident.source) == ("reported", "critical", "sos")
    assert (incident.temple, incident.temple_id, incident.zone) == ("somnath", somnath.id, "mainDarshan")
    assert incident.title == "Medical emergency at somnath / mainDarshan"
    assert incident.reported_by_name == "Asha Patel"
    [step] = incident.steps
    assert (step.action, step.status, step.by_kind, step.by_id, step.by_name) == (
        "reported", "reported", "user", pilgrim.id, "Asha Patel")


def test_staff_incident_gets_an_inc_code(officer):  # CR-3
    incident = service.report_incident(user=officer, type="injury", severity="medium",
                                       title="Worker slipped on wet steps", location_text="Gomti ghat steps")
    assert incident.code.startswith("INC-") and incident.lat is None
    assert (incident.type, incident.severity, incident.location_text) == ("injury", "medium", "Gomti ghat steps")


@pytest.mark.parametrize(("kind", "severity"), [("fire", "critical"), ("lost_person", "high"), ("other", "high")])
def test_sos_severity_follows_its_type(pilgrim, kind, severity):  # PW-14
    assert sos(pilgrim, type=kind).severity == severity


@pytest.mark.parametrize(("place", "field"), [({"temple": "atlantis"}, "temple"), ({"zone": "museum"}, "zone")])
def test_an_unknown_place_is_refused_and_nothing_is_stored(pilgrim, somnath, place, field):
    with pytest.raises(ValidationFailed) as caught:
        sos(pilgrim, **place)
    assert field in caught.value.errors
    assert db.session.query(Incident).count() == 0


def test_the_state_machine_walks_forward_and_records_who_and_when(pilgrim, officer, act_as, clock):  # PW-14
    incident = sos(pilgrim)
    act_as(officer)
    clock.tick(timedelta(minutes=2))
    service.acknowledge_incident(code=incident.code, note="On my way")
    clock.tick(timedelta(minutes=3))
    service.start_incident(code=incident.code.lower())
    clock.tick(timedelta(minutes=10))
    done = service.resolve_incident(code=incident.code, note="Taken to Veraval civil hospital")
    assert done.status == "resolved"
    assert done.acknowledged_at < done.started_at < done.resolved_at
    assert round((done.resolved_at - done.reported_at).total_seconds() / 60) == 15
    assert [(s.action, s.status, s.by_name, s.note) for s in done.steps] == [
        ("reported", "reported", "Asha Patel", None),
        ("acknowledged", "acknowledged", "Meera Joshi", "On my way"),
        ("started", "in_progress", "Meera Joshi", None),
        ("resolved", "resolved", "Meera Joshi", "Taken to Veraval civil hospital")]


@pytest.mark.parametrize("step", ["start_incident", "resolve_incident"])
def test_skipping_a_step_is_an_invalid_transition_and_changes_nothing(pilgrim, step):
    incident = sos(pilgrim)
    with pytest.raises(InvalidTransition) as caught:
        getattr(service, step)(code=incident.code)
    assert caught.value.status == 409 and caught.value.error == "invalid_transition"
    assert "is reported" in caught.value.message
    db.session.expire_all()
    assert db.session.get(Incident, incident.id).status == "reported" and len(incident.steps) == 1


def test_acknowledging_twice_is_refused(pilgrim):
    incident = sos(pilgrim)
    service.acknowledge_incident(code=incident.code)
    with pytest.raises(InvalidTransition):
        service.acknowledge_incident(code=incident.code)


def test_a_reporter_sees_their_own_incident_and_nothing_else(pilgrim, person, officer):  # PW-14
    mine = sos(pilgrim)
    stranger = person("user", "Ravi Kumar")
    assert service.incident_for(code=mine.code, user=pilgrim).id == mine.id
    assert service.incident_for(code=mine.code, user=officer).id == mine.id
    with pytest.raises(IncidentNotFound):
        service.incident_for(code=mine.code, user=stranger)
    with pytest.raises(IncidentNotFound):
        service.incident_for(code="SOS-ZZZZZZ", user=officer)


def test_history_filters_by_status_temple_type_and_period(pilgrim, officer, somnath, clock):  # PW-18
    old = sos(pilgrim, type="fire", temple="somnath")
    clock.tick(timedelta(days=2))
    recent = sos(pilgrim, type="medical", lat=22.2376, lng=68.9674)
    service.acknowledge_incident(code=recent.code)

    def codes(**filters):
        return [i.code for i in db.session.scalars(service.list_incidents(**filters))]

    assert codes() == [recent.code, old.code]
    assert codes(status="acknowledged") == [recent.code]
    assert codes(temple="somnath") == [old.code]
    assert codes(type="fire") == [old.code]
    assert codes(date_from=recent.reported_at - timedelta(hours=1)) == [recent.code]
    assert codes(date_to=recent.reported_at - timedelta(hours=1)) == [old.code]
    with pytest.raises(ValidationFailed):
        codes(temple="atlantis")


def test_active_list_puts_the_most_severe_and_oldest_first(pilgrim, officer, act_as):
    far = {"lat": 24.3326, "lng": 72.8503}
    low = service.report_incident(user=officer, type="near_miss", severity="low", title="Loose railing")
    critical = sos(pilgrim, **far)
    lost = sos(pilgrim, type="lost_person", lat=22.4617, lng=73.5112)
    done = service.report_incident(user=officer, type="injury", severity="high", title="Cut hand",
                                   lat=22.2376, lng=68.9674)
    for step in ("acknowledge_incident", "start_incident", "resolve_incident"):
        getattr(service, step)(code=done.code)
    assert [i.code for i in service.active_incidents()] == [critical.code, lost.code, low.code]


def test_every_step_is_emitted_on_the_emergency_channel_and_the_city_channel(pilgrim, somnath, captured_events):
    incident = sos(pilgrim, temple="somnath", zone="garbhaGriha", description="Chest pain")
    service.acknowledge_incident(code=incident.code)
    emergency = [e for e in captured_events if e.channel == "emergency"]
    city = [e for e in captured_events if e.channel == "city"]
    assert [e.name for e in emergency] == ["safety.incident_reported", "safety.incident_updated"]
    assert all(e.socket_event == "emergency" for e in emergency)
    assert emergency[0].scope == {"temple_id": somnath.id, "zone": "garbhaGriha"}
    assert emergency[1].payload["status"] == "acknowledged" and emergency[1].payload["code"] == incident.code
    assert [t["action"] for t in emergency[1].payload["timeline"]] == ["reported", "acknowledged"]
    assert [e.socket_event for e in city] == ["emergency_alert", "emergency_alert"]
    assert city[0].scope == {"module": "emergency", "severity": "critical"}
    public = city[0].payload
    assert public["code"] == incident.code and public["temple"] == "somnath"
    assert not {"description", "reported_by", "lat", "lng", "timeline"} & set(public)


def test_the_audit_trail_records_each_step(pilgrim, officer, act_as):  # CR-6
    from app.core.audit import AuditEntry

    incident = sos(pilgrim)
    act_as(officer)
    service.acknowledge_incident(code=incident.code)
    rows = db.session.query(AuditEntry).filter_by(entity="incident", entity_id=incident.code).order_by(AuditEntry.id)
    assert [(r.action, r.changes.get("status")) for r in rows] == [
        ("report", [None, "reported"]), ("acknowledge", ["reported", "acknowledged"])]
    assert rows[1].actor_id == officer.id
