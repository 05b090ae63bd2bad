"""Concurrency rules on PostgreSQL: every transition is claimed once, however many processes race."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from threading import Barrier

import pytest

from app.core.errors import APIError
from app.core.timeutil import utcnow
from app.extensions import db
from app.signs import service
from app.signs.models import SignOverride
from tests.conftest import needs_postgres
from tests.signs.conftest import advance

pytestmark = [needs_postgres, pytest.mark.usefixtures("committed_db")]
THREADS = 8


def race(app, call, n: int = THREADS) -> list:
    """Run ``call()`` in n threads started together; return each result (or the APIError raised)."""
    barrier = Barrier(n)

    def run(_):
        with app.app_context():
            barrier.wait()
            try:
                return call()
            except APIError as exc:
                return exc
            finally:
                db.session.remove()

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))


def socket_events(captured, name):
    return [e for e in captured if e.socket_event == name]


def test_sweepers_in_parallel_take_each_sign_offline_once(app, clock, make_sign, captured_events):
    ids = [make_sign()[0]["id"] for _ in range(20)]
    for sign_id in ids:
        service.sign_connected(sign_id=sign_id, sid=f"sid-{sign_id}")
    advance(clock, app.config["SIGN_OFFLINE_SECONDS"] + 1)
    captured_events.clear()
    results = race(app, lambda: service.sweep()["offline"])
    assert sum(results) == 20
    assert sorted(e.payload["id"] for e in socket_events(captured_events, "sign_offline")) == ids


def test_a_cancel_racing_the_expiry_ends_the_override_once(app, clock, make_sign, captured_events):
    make_sign()
    override = service.create_override(targets={"all": True}, severity="warning", text="Rain",
                                       expires_at=utcnow() + timedelta(seconds=30))
    advance(clock, 31)
    captured_events.clear()

    def cancel_or_expire():
        try:
            return service.cancel_override(override_id=override["id"])["status"]
        finally:
            service.sweep()

    results = race(app, cancel_or_expire)
    ended = socket_events(captured_events, "override_cancelled")
    assert len(ended) == 1
    status = db.session.get(SignOverride, override["id"]).status
    assert status in ("cancelled", "expired") and ended[0].payload["status"] == status
    assert sum(1 for r in results if r == "cancelled") == (1 if status == "cancelled" else 0)
    pushed = [e for e in captured_events if e.name == "signs.content_pushed"]
    assert len(pushed) == 1  # the sign is told once what to show


def test_one_approval_wins(app, make_sign):
    make_sign()
    proposal = service.create_override(targets={"all": True}, severity="info", text="Use gate 2", propose=True)
    results = race(app, lambda: service.approve_override(override_id=proposal["id"])["status"])
    assert results.count("active") == 1
    assert all(r.error == "invalid_transition" for r in results if r != "active")
    assert service.override_detail(override_id=proposal["id"])["signs"] == 1  # delivered once


def test_concurrent_acks_are_announced_once(app, make_sign, captured_events):
    view, _ = make_sign()
    message = service.send_message(targets={"all": True}, text="Hello")
    captured_events.clear()
    race(app, lambda: service.acknowledge(sign_id=view["id"], message_id=message["id"]))
    assert len(socket_events(captured_events, "message_ack")) == 1


def test_a_zone_flapping_in_several_processes_gets_one_proposal(app, make_sign):
    make_sign(zone="gate")
    results = race(app, lambda: service.propose_crowd_alert(temple="somnath", temple_id=1, zone="gate", name="Gate",
                                                            density_pct=91.0, lat=20.888, lng=70.4013))
    assert len(service.list_overrides(status="proposed")) == 1
    assert {r["id"] for r in results if r} == {service.list_overrides()[0]["id"]}
