"""The rules that must hold under a rush, proven with threads on PostgreSQL (one connection each):
officers acknowledging together get one winner (PW-14); a unit serves one incident at a time (SC-7)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy import func, select

from app.core.errors import APIError
from app.extensions import db
from app.safety import service
from app.safety.models import Dispatch, Incident, IncidentStep, Unit
from tests.conftest import needs_postgres


def rush(app, calls: list[Callable[[], object]]) -> list[str]:
    """Run the calls at once on their own threads; return each outcome ("ok" or the error code)."""
    barrier, lock, outcomes = threading.Barrier(len(calls)), threading.Lock(), []

    def run(call):
        with app.app_context():
            barrier.wait()
            try:
                call()
                outcome = "ok"
            except APIError as exc:
                outcome = exc.error
            finally:
                db.session.remove()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return sorted(outcomes)


def _sos(user, n: int) -> str:
    """An SOS far from the others (never linked), returning its code."""
    return service.report_sos(user=user, type="medical", lat=20.0 + n * 0.1, lng=70.0).code


@needs_postgres
def test_officers_acknowledging_at_once_get_one_winner(app, committed_db, make_user):  # PW-14
    code = _sos(make_user(), 0)
    db.session.remove()
    outcomes = rush(app, [lambda: service.acknowledge_incident(code=code)] * 8)
    assert outcomes == ["invalid_transition"] * 7 + ["ok"]
    incident = db.session.scalar(select(Incident).where(Incident.code == code))
    assert incident.status == "acknowledged"
    steps = db.session.scalar(select(func.count()).where(IncidentStep.incident_id == incident.id,
                                                         IncidentStep.action == "acknowledged"))
    assert steps == 1


@needs_postgres
def test_a_named_unit_goes_to_one_incident_only(app, committed_db, make_user):  # SC-7
    user = make_user()
    codes = [_sos(user, n) for n in range(10)]
    unit_id = service.create_unit(kind="ambulance", name="108 Solo", lat=20.0, lng=70.01).id
    db.session.remove()
    outcomes = rush(app, [lambda c=c: service.dispatch_unit(code=c, unit_id=unit_id) for c in codes])
    assert outcomes == ["no_unit_available"] * 9 + ["ok"]
    active = db.session.scalars(select(Dispatch).where(Dispatch.released_at.is_(None))).all()
    assert len(active) == 1 and db.session.get(Unit, unit_id).status == "dispatched"


@needs_postgres
def test_a_dispatch_rush_gives_each_unit_one_incident(app, committed_db, make_user):  # SC-7
    user = make_user()
    codes = [_sos(user, n) for n in range(12)]
    for n in range(4):
        service.create_unit(kind="ambulance", name=f"108 #{n}", lat=20.0 + n * 0.3, lng=70.02)
    db.session.remove()
    outcomes = rush(app, [lambda c=c: service.dispatch_unit(code=c) for c in codes])
    assert outcomes == ["no_unit_available"] * 8 + ["ok"] * 4
    rows = db.session.execute(select(Dispatch.unit_id, Dispatch.incident_id)
                              .where(Dispatch.released_at.is_(None))).all()
    assert len(rows) == 4 and len({r.unit_id for r in rows}) == 4 and len({r.incident_id for r in rows}) == 4
    assert set(db.session.scalars(select(Unit.status))) == {"dispatched"}
