"""Demo data (idempotent, quick), historical imports (PW-18), and the Celery tasks run as the worker runs them."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from app.core.errors import ValidationFailed
from app.core.timeutil import utcnow
from app.extensions import db
from app.safety import seed, service
from app.safety.models import Dispatch, Hazard, Incident, Inspection, Procedure, Training, Unit
from app.safety.schemas import IncidentSchema


def counts() -> dict:
    db.session.expire_all()
    return {m.__name__: db.session.query(m).count()
            for m in (Unit, Incident, Dispatch, Procedure, Inspection, Training, Hazard)}


def test_demo_data_is_complete_idempotent_and_quick(app):
    from app.temples import seed as temples_seed

    temples_seed.seed_demo()
    started = time.perf_counter()
    seed.seed_demo()
    first_run = time.perf_counter() - started
    first = counts()
    seed.seed_demo()
    assert counts() == first
    assert first == {"Unit": 20, "Incident": 6, "Dispatch": 5, "Procedure": 4, "Inspection": 2, "Training": 4,
                     "Hazard": 4}
    assert first_run < 5, first_run
    units = service.list_units()
    assert len({u.temple_id for u in units}) == 4 and all(u.temple_id is not None for u in units)
    assert sum(u.status == "dispatched" for u in units) == 1
    board = service.active_incidents()
    assert [i.severity for i in board] == ["critical", "low"]
    assert board[0].temple == "somnath" and board[0].dispatches[0].unit.name == "Somnath 108 ambulance 2"
    resolved = db.session.query(Incident).filter_by(status="resolved").all()
    assert len(resolved) == 4 and all(i.first_arrived_at and i.resolved_at for i in resolved)
    stats = service.incident_stats()
    assert stats["response_minutes"]["arrive"]["count"] == 4
    assert service.compliance_report()["summary"]["overdue_inspections"] == 1


def test_a_past_incident_keeps_its_times_and_a_timeline_in_order(pilgrim):  # PW-18
    unit = service.create_unit(kind="ambulance", name="108 Old", lat=20.9, lng=70.4)
    at = utcnow() - timedelta(days=30)
    minutes = {m: at + timedelta(minutes=m) for m in (2, 3, 4, 9, 40)}
    incident = service.record_past_incident(
        ref="log:2026/17", source="sos", type="medical", severity="high", title="Fainted in the queue",
        reported_at=at, lat=20.88, lng=70.40, steps={"acknowledged": minutes[2], "started": minutes[4],
                                                      "resolved": minutes[40]},
        dispatches=[{"unit_id": unit.id, "dispatched_at": minutes[3], "arrived_at": minutes[9],
                     "released_at": minutes[40]}])
    body = IncidentSchema().dump(incident)
    assert [(t["action"], t["status"]) for t in body["timeline"]] == [
        ("reported", "reported"), ("acknowledged", "acknowledged"), ("dispatched", "acknowledged"),
        ("started", "in_progress"), ("arrived", "in_progress"), ("resolved", "resolved"), ("released", "resolved")]
    assert body["units"][0]["status"] == "released" and unit.status == "available"
    assert service.record_past_incident(ref="log:2026/17", source="sos", type="medical", severity="high",
                                        title="again", reported_at=at) is None


def test_a_past_incident_with_steps_out_of_order_is_refused():
    at = utcnow() - timedelta(days=1)
    with pytest.raises(ValidationFailed):
        service.record_past_incident(ref="x", source="staff", type="injury", severity="low", title="t",
                                     reported_at=at, steps={"resolved": at + timedelta(minutes=5)})
    with pytest.raises(ValidationFailed):
        service.record_past_incident(ref="y", source="staff", type="injury", severity="low", title="t",
                                     reported_at=at, steps={"acknowledged": at - timedelta(minutes=5)})
    assert db.session.query(Incident).count() == 0


def test_the_tasks_run_the_escalation_and_the_digest(pilgrim, officer, clock):
    from tasks import safety as tasks

    service.report_sos(user=pilgrim, type="fire", lat=20.9, lng=70.4)
    clock.tick(timedelta(minutes=6))
    assert tasks.escalate_unacknowledged.delay().get() == 1
    assert tasks.escalate_unacknowledged.delay().get() == 0
    assert tasks.send_compliance_digest.delay().get() == 1
    assert tasks.send_compliance_digest.delay().get() == 0
