"""The booking request stays lean (issue 14): the SQL statements it sends are pinned, so they cannot grow silently.

On PostgreSQL a booking is three statements: who is asking (user and session, one query), the booking
itself (one data-modifying CTE: seats taken and booking inserted) and its audit row. SQLite, which has
no DML in CTEs, takes the seats and inserts the booking in two.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app.extensions import db
from tests.conftest import POSTGRES, bearer
from tests.factories import UserFactory
from tests.factories.temples import SlotFactory

HARNESS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")  # the test's own transaction handling


@contextmanager
def statements():
    """Collect the SQL statements sent while the block runs (the test harness's savepoints left out)."""
    seen: list[str] = []
    engine = db.engines[None].engine

    def record(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(HARNESS):
            seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def booker(app):
    slot_id, headers = SlotFactory(capacity=50).id, bearer(UserFactory())
    db.session.expunge_all()  # the request starts from nothing, as it would in production
    return slot_id, headers


def test_a_booking_request_sends_three_statements_on_postgresql(client, booker):  # PW-3
    slot_id, headers = booker
    with statements() as seen:
        r = client.post("/api/v1/bookings", json={"slot_id": slot_id, "party_size": 2, "visitors": []},
                        headers=headers)
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["slot"]["booked"] == 2 and r.get_json()["slot"]["temple"]
    expected = 3 if POSTGRES else 5
    assert len(seen) == expected, "\n".join(s[:120] for s in seen)
    assert seen[0].startswith("SELECT users.") and "auth_sessions" in seen[0]
    assert seen[-1].startswith("INSERT INTO audit_entries")
    if POSTGRES:
        assert seen[1].startswith("WITH taken AS (UPDATE darshan_slots")


def test_a_refused_booking_reads_only_to_say_why(client, booker):  # PW-3
    slot_id, headers = booker
    for _ in range(5):  # the slot fills up
        client.post("/api/v1/bookings", json={"slot_id": slot_id, "party_size": 10, "visitors": []}, headers=headers)
    with statements() as seen:
        r = client.post("/api/v1/bookings", json={"slot_id": slot_id, "party_size": 1, "visitors": []},
                        headers=headers)
    assert r.status_code == 409 and r.get_json()["error"] == "slot_full"
    assert len(seen) == 3, "\n".join(s[:120] for s in seen)  # who; the refused booking; why it was refused
