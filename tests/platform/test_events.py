"""Domain events are delivered only after commit; nested units commit once (DESIGN §7)."""

import pytest

from app.auth.models import User
from app.core.audit import AuditEntry
from app.core.errors import Conflict
from app.core.events import Event, publish, transactional
from app.extensions import db


@transactional
def _add_user(email: str, fail: bool = False) -> None:
    db.session.add(User(email=email, password_hash="x", full_name="E", role="user"))
    db.session.flush()
    publish(Event(name="test.user_added", payload={"email": email}, entity="user", entity_id=email, action="create"))
    if fail:
        raise Conflict("nope")


@transactional
def _outer(fail_inner: bool) -> None:
    _add_user("outer@x.in")
    _add_user("inner@x.in", fail=fail_inner)


def test_commit_delivers_event_and_audit_row(captured_events):
    _add_user("a@x.in")
    assert [e.payload["email"] for e in captured_events if e.name == "test.user_added"] == ["a@x.in"]
    entry = db.session.query(AuditEntry).filter_by(event="test.user_added").one()
    assert entry.entity == "user" and entry.action == "create"


def test_rollback_delivers_nothing_and_leaves_no_rows(captured_events):
    with pytest.raises(Conflict):
        _add_user("b@x.in", fail=True)
    assert not [e for e in captured_events if e.name == "test.user_added"]
    assert db.session.query(User).filter_by(email="b@x.in").count() == 0
    assert db.session.query(AuditEntry).filter_by(event="test.user_added").count() == 0


def test_nested_units_commit_once_and_fail_whole(captured_events):
    with pytest.raises(Conflict):
        _outer(fail_inner=True)
    assert db.session.query(User).filter(User.email.in_(["outer@x.in", "inner@x.in"])).count() == 0
    assert not captured_events
    _outer(fail_inner=False)
    assert len([e for e in captured_events if e.name == "test.user_added"]) == 2


def test_events_wait_for_the_outermost_commit(captured_events):
    seen_inside = []

    @transactional
    def outer():
        _add_user("c@x.in")
        seen_inside.append(len(captured_events))

    outer()
    assert seen_inside == [0] and len(captured_events) == 1
