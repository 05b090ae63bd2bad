"""The release queue under a rush, with threads and real commits (issue 14, PW-3).

Many pilgrims enqueue at once while admitters run: no slot is ever overbooked (the conditional UPDATE in
``book_darshan`` decides, even against an admitter that ignores the lease), admission follows arrival, one
person never holds two places, and every request gets an answer (no 5xx).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.core.timeutil import utcnow
from app.extensions import db
from app.temples import service
from app.temples.models import Booking, DarshanSlot, ReleaseAdmission
from tests.conftest import bearer, needs_postgres

pytestmark = pytest.mark.usefixtures("queue")


def _release(app, make_user, *, people: int, capacity: int, limit: int = 2, shared_phones: int = 0):
    """Committed: a temple, two slots of ``capacity``, an open release of them, and ``people`` with tokens."""
    temple = service.create_temple(slug="ambaji", name="Ambaji", location="Ambaji", lat=24.33, lng=72.85,
                                   code_prefix="AMB", zones=[])
    day = (utcnow() + timedelta(days=1)).date()
    slots = service.generate_slots(temple_slug="ambaji", date_from=day, date_to=day, start_time=utcnow().time()
                                   .replace(hour=10, minute=0, second=0, microsecond=0),
                                   end_time=utcnow().time().replace(hour=12, minute=0, second=0, microsecond=0),
                                   slot_minutes=60, capacity=capacity)
    release = service.create_release(temple_slug=temple.slug, name="Rush", opens_at=utcnow(), per_person_limit=limit,
                                     slot_ids=[s.id for s in slots])
    service.open_release(release_id=release.id)
    users = [make_user(phone=f"98{i % shared_phones if i < 2 * shared_phones else 10_000 + i:08d}")
             for i in range(people)]
    return release.id, [s.id for s in slots], [bearer(u) for u in users]


def _post_all(app, headers: list[dict], slot_ids: list[int], workers: int = 12) -> list[tuple[int, dict]]:
    def post(i: int):
        with app.test_client() as client:
            r = client.post("/api/v1/bookings", json={"slot_id": slot_ids[i % len(slot_ids)], "party_size": 1 + i % 2},
                            headers=headers[i])
            return r.status_code, r.get_json()

    db.session.remove()  # end this thread's transaction: SQLite would keep its write lock
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(post, range(len(headers))))


def _admitter(app, release_id: int, owner: str, stop: threading.Event, leased: bool = True) -> None:
    while not stop.is_set():
        with app.app_context():
            if leased:
                service.run_admission(release_id=release_id, owner=owner, max_seconds=2)
            else:  # a rogue admitter that ignores the lease: the database must still refuse to overbook
                service.admit_waiting(release_id=release_id, batch=7)
            db.session.remove()
        stop.wait(0.01)


def _drain(app, release_id: int) -> None:
    with app.app_context():
        while service.run_admission(release_id=release_id, owner="drain", max_seconds=30):
            pass


@needs_postgres
def test_no_overbooking_under_a_rush_with_racing_admitters(app, committed_db, make_user):
    release_id, slot_ids, headers = _release(app, make_user, people=120, capacity=25, limit=1, shared_phones=10)
    stop = threading.Event()
    admitters = [threading.Thread(target=_admitter, args=(app, release_id, f"a{i}", stop, i < 2)) for i in range(3)]
    for t in admitters:
        t.start()
    try:
        answers = _post_all(app, headers, slot_ids)
    finally:
        stop.set()
        for t in admitters:
            t.join(30)
    _drain(app, release_id)
    assert all(code < 500 for code, _ in answers), [a for a in answers if a[0] >= 500]
    assert {code for code, _ in answers} <= {202, 409}
    slots = db.session.scalars(select(DarshanSlot).where(DarshanSlot.id.in_(slot_ids))).all()
    for slot in slots:
        seats = db.session.scalar(select(func.coalesce(func.sum(Booking.party_size), 0)).where(
            Booking.slot_id == slot.id, Booking.status == "confirmed"))
        assert seats == slot.booked <= slot.capacity
    assert sum(s.booked for s in slots) >= 2 * 25 - 1  # demand exceeded supply: sold out (a party of 2 may not fit)
    per_user = db.session.execute(select(Booking.user_id, func.count()).group_by(Booking.user_id)).all()
    assert max(n for _, n in per_user) == 1  # limit 1 a person
    admissions = db.session.execute(select(ReleaseAdmission.phone_key, func.count()).where(
        ReleaseAdmission.outcome == "admitted").group_by(ReleaseAdmission.phone_key)).all()
    assert max(n for _, n in admissions) == 1  # …also across accounts sharing a phone
    tickets = [body["ticket"] for code, body in answers if code == 202]
    with app.app_context():
        assert {service.queue_ticket(ticket=t)["status"] for t in tickets} <= {"admitted", "rejected"}


@needs_postgres
def test_admission_follows_arrival_while_requests_pour_in(app, committed_db, make_user):
    release_id, slot_ids, headers = _release(app, make_user, people=60, capacity=100)
    stop = threading.Event()
    admitter = threading.Thread(target=_admitter, args=(app, release_id, "only", stop))
    admitter.start()
    try:
        answers = _post_all(app, headers, slot_ids)
    finally:
        stop.set()
        admitter.join(30)
    _drain(app, release_id)
    assert [code for code, _ in answers].count(202) == 60
    numbers = db.session.scalars(select(ReleaseAdmission.number).order_by(
        ReleaseAdmission.resolved_at, ReleaseAdmission.number)).all()
    assert numbers == sorted(numbers) == list(range(1, 61))


def test_one_person_racing_themselves_gets_one_place(app, committed_db, make_user):
    release_id, slot_ids, _ = _release(app, make_user, people=0, capacity=50)
    headers = [bearer(make_user(phone="9844444444"))] * 10
    answers = _post_all(app, headers, slot_ids, workers=10)
    assert sorted(code for code, _ in answers) == [202] + [409] * 9
    assert {body["error"] for code, body in answers if code == 409} == {"already_queued"}
