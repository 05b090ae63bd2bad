"""Races at the desk, on PostgreSQL with real threads: one check-in per visit, one holder per card."""

from __future__ import annotations

import threading
from datetime import timedelta

from app.auth import service as auth_service
from app.core.errors import APIError
from app.core.notify import Notification
from app.extensions import db
from app.visitors import service
from app.visitors.models import Block, Card
from tests.conftest import PASSWORD, needs_postgres
from tests.visitors.conftest import START

THREADS = 12


def race(app, work, n: int = THREADS) -> list[str]:
    """Run ``work(i)`` in ``n`` threads released together; return 'ok' or the error code of each."""
    outcomes, barrier = [], threading.Barrier(n)

    def attempt(i: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                work(i)
                outcomes.append("ok")
            except APIError as exc:
                outcomes.append(exc.error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


def _visit(frozen_clock) -> str:
    desk = auth_service.register_user(email="desk@race.in", password=PASSWORD, full_name="Desk", role="reception")
    host = auth_service.register_user(email="host@race.in", password=PASSWORD, full_name="Host")
    code = service.invite_visitor(actor=desk, visitor={"name": "Racing Visitor", "phone": "+91 90000 77777"},
                                  host_id=host.id, purpose="Audit", expected_at=START + timedelta(hours=1))["code"]
    frozen_clock.move_to(START + timedelta(minutes=45))
    return code


@needs_postgres
def test_twelve_desks_checking_in_one_visitor_make_one_check_in_and_one_host_notice(app, committed_db, frozen_clock):
    code = _visit(frozen_clock)
    db.session.remove()
    outcomes = race(app, lambda _i: service.check_in(code=code))
    assert outcomes.count("ok") == 1 and outcomes.count("invalid_transition") == THREADS - 1, outcomes
    assert service.find_visit(code).status == "checked_in"
    notices = db.session.scalars(db.select(Notification).where(Notification.recipient == "host@race.in")).all()
    assert len(notices) == 1


@needs_postgres
def test_check_out_races_check_out_once(app, committed_db, frozen_clock):
    code = _visit(frozen_clock)
    service.check_in(code=code)
    db.session.remove()
    outcomes = race(app, lambda _i: service.check_out(code=code))
    assert outcomes.count("ok") == 1 and outcomes.count("invalid_transition") == THREADS - 1, outcomes


@needs_postgres
def test_one_card_number_handed_to_twelve_people_at_once_goes_to_one(app, committed_db):  # CR-1
    people = [service.record_person(name=f"Person {i}", phone=f"+91 90000 1{i:04d}").id for i in range(THREADS)]
    db.session.remove()
    outcomes = race(app, lambda i: service.assign_card(number="DEADBEEF", person_id=people[i]))
    assert outcomes.count("ok") == 1 and outcomes.count("card_taken") == THREADS - 1, outcomes
    assert db.session.scalar(db.select(db.func.count()).select_from(Card)) == 1


@needs_postgres
def test_one_phone_blocked_by_twelve_desks_at_once_is_one_entry(app, committed_db):
    outcomes = race(app, lambda i: service.block_person(actor_id=None, reason=f"desk {i}", phone="+91 90000 88888"))
    assert outcomes.count("ok") == 1 and outcomes.count("already_blocked") == THREADS - 1, outcomes
    assert db.session.scalar(db.select(db.func.count()).select_from(Block)) == 1
