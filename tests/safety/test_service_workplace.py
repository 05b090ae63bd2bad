"""Workplace health & safety (CR-3): inspections and corrective actions, trainings, hazards and risk,
emergency procedures, and the compliance list."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.errors import Conflict, ValidationFailed
from app.extensions import db
from app.safety import service
from app.safety.errors import InvalidTransition
from app.safety.models import CorrectiveAction, Hazard
from tests.safety.conftest import TODAY


def inspection(officer, **overrides):
    body = {"title": "Fire safety walk", "site": "Main darshan hall", "due_on": TODAY + timedelta(days=3),
            "items": ["Extinguishers charged", "Exits unobstructed", "Alarm tested"], "assignee_id": officer.id}
    return service.create_inspection(**{**body, **overrides})


def test_a_failed_item_opens_a_corrective_action_and_the_last_result_completes_it(officer, person):  # CR-3
    owner = person("operator", "Kiran Desai")
    insp = inspection(officer, temple=None)
    ext, exits, alarm = insp.items
    insp = service.record_results(inspection_id=insp.id, results=[
        {"item_id": ext.id, "result": "pass"},
        {"item_id": exits.id, "result": "fail", "note": "Cartons at the east exit",
         "action": {"description": "Clear the east exit", "owner_id": owner.id}}])
    assert insp.status == "scheduled"
    [action] = db.session.query(CorrectiveAction).all()
    assert (action.owner_id, action.description, action.status) == (owner.id, "Clear the east exit", "open")
    assert action.due_on == TODAY + timedelta(days=7)
    insp = service.record_results(inspection_id=insp.id, results=[{"item_id": alarm.id, "result": "fail"}])
    assert insp.status == "completed" and insp.completed_at is not None
    second = db.session.query(CorrectiveAction).filter_by(item_id=alarm.id).one()
    assert second.owner_id == officer.id and second.description == "Fix: Alarm tested"
    assert [i.result for i in insp.items] == ["pass", "fail", "fail"]


def test_an_item_takes_one_result_only(officer):
    insp = inspection(officer)
    item = insp.items[0]
    service.record_results(inspection_id=insp.id, results=[{"item_id": item.id, "result": "pass"}])
    with pytest.raises(InvalidTransition):
        service.record_results(inspection_id=insp.id, results=[{"item_id": item.id, "result": "fail"}])
    db.session.expire_all()
    assert service.get_inspection(insp.id).items[0].result == "pass"
    assert db.session.query(CorrectiveAction).count() == 0


@pytest.mark.parametrize("results", [
    [{"item_id": 99999, "result": "pass"}],
    "same item twice",
    "action on a pass",
])
def test_bad_results_are_refused_whole(officer, results):
    insp = inspection(officer)
    first = insp.items[0].id
    if results == "same item twice":
        results = [{"item_id": first, "result": "pass"}, {"item_id": first, "result": "fail"}]
    elif results == "action on a pass":
        results = [{"item_id": first, "result": "pass", "action": {"description": "x"}}]
    with pytest.raises(ValidationFailed):
        service.record_results(inspection_id=insp.id, results=results)
    db.session.expire_all()
    assert all(i.result is None for i in service.get_inspection(insp.id).items)


def test_an_unknown_assignee_is_refused(officer):
    with pytest.raises(ValidationFailed) as caught:
        inspection(officer, assignee_id=424242)
    assert "assignee_id" in caught.value.errors


def test_corrective_actions_close_once(officer):
    insp = inspection(officer)
    service.record_results(inspection_id=insp.id, results=[{"item_id": insp.items[0].id, "result": "fail"}])
    action = db.session.query(CorrectiveAction).one()
    assert service.close_corrective_action(action_id=action.id, note="Replaced").status == "closed"
    with pytest.raises(InvalidTransition):
        service.close_corrective_action(action_id=action.id)


@pytest.mark.parametrize(("likelihood", "severity", "band"), [
    (1, 1, "low"), (2, 2, "low"), (1, 5, "medium"), (3, 3, "medium"), (2, 5, "high"), (3, 4, "high"),
    (3, 5, "extreme"), (5, 5, "extreme")])
def test_risk_is_likelihood_times_severity_in_its_band(officer, likelihood, severity, band):  # CR-3
    hazard = service.create_hazard(title="Wet marble floor", location="Pradakshina path", likelihood=likelihood,
                                   severity=severity, review_on=TODAY + timedelta(days=90), owner_id=officer.id)
    assert (hazard.risk_score, hazard.band) == (likelihood * severity, band)


def test_reassessing_a_hazard_rescores_it(officer):
    hazard = service.create_hazard(title="Crowd crush at gate", location="Gate 1", likelihood=4, severity=5,
                                   review_on=TODAY + timedelta(days=30), controls="Queue barriers")
    hazard = service.update_hazard(hazard_id=hazard.id, likelihood=2, controls="Queue barriers, timed entry")
    assert (hazard.risk_score, hazard.band, hazard.controls) == (10, "high", "Queue barriers, timed entry")


def test_the_database_checks_the_risk_score(officer):
    from sqlalchemy.exc import IntegrityError

    from app.core.timeutil import utcnow

    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(Hazard(title="x", location="y", likelihood=2, severity=2, risk_score=5, band="medium",
                              review_on=TODAY, status="open", created_at=utcnow(), updated_at=utcnow()))
        db.session.flush()


def test_trainings_cannot_be_completed_in_the_future_or_expire_before_completion():
    with pytest.raises(ValidationFailed):
        service.record_training(person="A", course="First aid", completed_on=TODAY + timedelta(days=1))
    with pytest.raises(ValidationFailed):
        service.record_training(person="A", course="First aid", completed_on=TODAY,
                                valid_until=TODAY - timedelta(days=1))


def test_procedures_are_kept_per_type_in_order(officer):
    service.create_procedure(incident_type="fire", title="Fire in the kitchen", steps=["Raise the alarm", "Evacuate"],
                             contacts=[{"name": "Fire control", "phone": "101"}])
    service.create_procedure(incident_type="medical", title="Heat stroke", steps=["Shade", "Water"], contacts=[])
    with pytest.raises(Conflict):
        service.create_procedure(incident_type="fire", title="Fire in the kitchen", steps=["x"], contacts=[])
    [fire] = service.list_procedures(incident_type="fire")
    assert fire.steps == ["Raise the alarm", "Evacuate"] and fire.contacts[0]["phone"] == "101"
    assert [p.incident_type for p in service.list_procedures()] == ["fire", "medical"]


def test_compliance_lists_what_needs_attention(officer):  # CR-3
    overdue = inspection(officer, due_on=TODAY - timedelta(days=2))
    inspection(officer, title="Not yet due")
    service.record_results(inspection_id=overdue.id, results=[{"item_id": overdue.items[0].id, "result": "fail",
                                                               "action": {"due_on": TODAY - timedelta(days=1)}}])
    long_ago, lapsed = TODAY - timedelta(days=800), TODAY - timedelta(days=60)
    service.record_training(person="Ramesh Gohil", course="First aid", completed_on=long_ago, valid_until=lapsed)
    service.record_training(person="Sita Rao", course="First aid", completed_on=long_ago, valid_until=lapsed)
    service.record_training(person="Sita Rao", course="First aid", completed_on=lapsed,
                            valid_until=TODAY + timedelta(days=700))  # renewed: the old record is not expired any more
    service.record_training(person="Ravi Kumar", course="Crowd control", completed_on=long_ago,
                            valid_until=TODAY + timedelta(days=20))
    service.record_training(person="Ravi Kumar", course="Fire warden", completed_on=long_ago,
                            valid_until=TODAY + timedelta(days=45))
    high = service.create_hazard(title="Crowd crush", location="Gate", likelihood=4, severity=5,
                                 review_on=TODAY + timedelta(days=10))
    stale = service.create_hazard(title="Loose cable", location="Office", likelihood=1, severity=2,
                                  review_on=TODAY - timedelta(days=1))
    closed = service.create_hazard(title="Old scaffold", location="Museum", likelihood=5, severity=5,
                                   review_on=TODAY - timedelta(days=1))
    service.update_hazard(hazard_id=closed.id, status="closed")
    report = service.compliance_report()
    assert [i.id for i in report["overdue_inspections"]] == [overdue.id]
    assert [a.due_on for a in report["open_corrective_actions"]] == [TODAY - timedelta(days=1)]
    assert [(t.person, t.course) for t in report["expired_trainings"]] == [("Ramesh Gohil", "First aid")]
    assert [(t.person, t.course) for t in report["expiring_trainings"]] == [("Ravi Kumar", "Crowd control")]
    assert [h.id for h in report["open_high_risks"]] == [high.id]
    assert [h.id for h in report["hazards_past_review"]] == [stale.id]
    assert report["summary"]["overdue_corrective_actions"] == 1
