"""Quota releases and their fair queue, through the service (issue 14, PW-3): both modes, admission stepped."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.errors import InvalidToken, InvalidTransition, ValidationFailed
from app.core.timeutil import utcnow
from app.extensions import db
from app.temples import service
from app.temples.errors import (
    AlreadyQueued,
    ReleaseLimitReached,
    ReleaseNotOpen,
    SlotClosed,
    SlotFull,
    SlotHeld,
    SlotInRelease,
    SoldOut,
)
from app.temples.models import Booking, DarshanSlot, ReleaseAdmission

pytestmark = pytest.mark.usefixtures("queue")


def make_release(temple, slots, *, limit=2, opens_in=timedelta(0), queued=True, capacity=None):
    if capacity is not None:
        for slot in slots:
            service.change_slot(slot_id=slot.id, capacity=capacity)
    return service.create_release(temple_slug=temple.slug, name="Mahashivratri quota", opens_at=utcnow() + opens_in,
                                  slot_ids=[s.id for s in slots], per_person_limit=limit, queued=queued)


def ask(user, slot, party=1):
    return service.request_booking(user=user, slot_id=slot.id, party_size=party, visitors=[])


def admit_all(release):
    while service.admit_waiting(release_id=release.id, batch=3):
        pass


def status(ticket):
    return service.queue_ticket(ticket=ticket["ticket"])


def test_a_release_holds_its_slots_until_it_opens(temple, release_slots, make_user, clock):
    release = make_release(temple, release_slots, opens_in=timedelta(minutes=30))
    assert release.status == "scheduled" and release.seats == {"capacity": 30, "booked": 0, "available": 30}
    with pytest.raises(ReleaseNotOpen, match="opens at"):
        ask(make_user(), release_slots[0])
    clock.move_to(utcnow() + timedelta(minutes=31))
    ticket = ask(make_user(), release_slots[0])
    assert service.is_ticket(ticket) and ticket["status"] == "waiting" and ticket["position"] == 1
    assert service.show_release(release_id=release.id).status == "open"  # opened by the first request on time


def test_other_slots_are_booked_at_once_as_before(temple, release_slots, slot, make_user):
    make_release(temple, release_slots)
    booking = ask(make_user(), slot, party=2)
    assert isinstance(booking, Booking) and booking.status == "confirmed"


def test_admission_is_first_in_first_out(temple, release_slots, make_user):  # issue 14: FIFO
    release = make_release(temple, release_slots[:1], capacity=4)
    people = [make_user() for _ in range(6)]
    tickets = [ask(person, release_slots[0]) for person in people]
    assert [t["number"] for t in tickets] == [1, 2, 3, 4, 5, 6]
    assert [t["position"] for t in tickets] == [1, 2, 3, 4, 5, 6]
    assert status(tickets[5])["position"] == 6
    admit_all(release)
    views = [status(t) for t in tickets]
    assert [v["status"] for v in views] == ["admitted"] * 4 + ["rejected"] * 2
    admitted = db.session.scalars(db.select(ReleaseAdmission).where(ReleaseAdmission.outcome == "admitted")
                                  .order_by(ReleaseAdmission.resolved_at, ReleaseAdmission.number)).all()
    assert [a.user_id for a in admitted] == [p.id for p in people[:4]]
    assert {v["booking"]["code"] for v in views[:4]} == {b.code for b in db.session.scalars(db.select(Booking))}


def test_one_person_holds_one_place_by_account_and_by_phone(temple, release_slots, make_user):
    release = make_release(temple, release_slots)
    pilgrim = make_user(phone="+91 98000 00001")
    first = ask(pilgrim, release_slots[0])
    with pytest.raises(AlreadyQueued, match="position 1"):
        ask(pilgrim, release_slots[1])
    with pytest.raises(AlreadyQueued):
        ask(make_user(phone="9800000001"), release_slots[1])  # another account, the same phone
    assert service.is_ticket(ask(make_user(phone="9800000002"), release_slots[1]))
    admit_all(release)
    assert status(first)["status"] == "admitted"
    assert service.is_ticket(ask(pilgrim, release_slots[1]))  # resolved: a new place at the back


def test_at_most_n_bookings_per_person_and_release(temple, release_slots, make_user):
    release = make_release(temple, release_slots, limit=2)
    pilgrim = make_user(phone="9811111111")
    for slot in release_slots[:2]:
        ask(pilgrim, slot)
        admit_all(release)
    with pytest.raises(ReleaseLimitReached, match="2 bookings"):
        ask(pilgrim, release_slots[2])
    with pytest.raises(ReleaseLimitReached):
        ask(make_user(phone="+919811111111"), release_slots[2])  # the same person through another account
    booking = db.session.scalars(db.select(Booking).where(Booking.user_id == pilgrim.id)).first()
    service.cancel_booking(user=pilgrim, code=booking.code)
    ticket = ask(pilgrim, release_slots[2])  # a cancelled booking no longer counts
    admit_all(release)
    assert status(ticket)["status"] == "admitted"


def test_the_limit_holds_at_admission_too(temple, release_slots, make_user, queue):
    release = make_release(temple, release_slots, limit=1)
    ask(make_user(phone="9822222222"), release_slots[0])
    admit_all(release)
    if hasattr(queue, "releases"):  # forget the store's fast counts, as after a Redis restart
        queue.releases[release.id].counts.clear()
    else:
        queue.redis.delete(f"sangam:queue:r:{release.id}:counts")
    ticket = ask(make_user(phone="9822222222"), release_slots[1])  # the store no longer knows; the record does
    admit_all(release)
    assert (status(ticket)["status"], status(ticket)["error"]) == ("rejected", "release_limit_reached")


def test_sold_out_tells_every_waiting_client_at_once(temple, release_slots, make_user):  # issue 14
    release = make_release(temple, release_slots[:2], capacity=2)
    tickets = [ask(make_user(), release_slots[i % 2]) for i in range(9)]
    service.admit_waiting(release_id=release.id, batch=4)  # four seats, four tickets: sold out in one batch
    views = [status(t) for t in tickets]
    assert [v["status"] for v in views[:4]] == ["admitted"] * 4
    assert {(v["status"], v["error"], v["position"]) for v in views[4:]} == {("rejected", "sold_out", None)}
    assert service.show_release(release_id=release.id).status == "sold_out"
    assert service.admit_waiting(release_id=release.id) == 0  # nobody is admitted after the seats ran out
    with pytest.raises(SoldOut):
        ask(make_user(), release_slots[0])
    assert db.session.scalar(db.select(db.func.sum(DarshanSlot.booked)).where(
        DarshanSlot.release_id == release.id)) == 4


def test_a_full_slot_turns_its_requests_away_but_the_release_sells_on(temple, release_slots, make_user):
    release = make_release(temple, release_slots[:2], capacity=2)
    big = ask(make_user(), release_slots[0], party=2)
    late = ask(make_user(), release_slots[0], party=1)
    other = ask(make_user(), release_slots[1], party=1)
    admit_all(release)
    assert status(big)["status"] == "admitted"
    assert (status(late)["status"], status(late)["error"]) == ("rejected", "slot_full")
    assert status(other)["status"] == "admitted"
    with pytest.raises(SlotFull):  # known full: refused at once, no place taken
        ask(make_user(), release_slots[0])
    assert service.show_release(release_id=release.id).status == "open"


def test_requests_that_cannot_succeed_are_refused_at_once(temple, release_slots, make_user):
    make_release(temple, release_slots[:1], capacity=2)
    with pytest.raises(SlotFull):
        ask(make_user(), release_slots[0], party=3)
    with pytest.raises(ValidationFailed):
        service.request_booking(user=make_user(), slot_id=release_slots[0].id, party_size=2,
                                visitors=[{"name": "One"}])
    service.change_slot(slot_id=release_slots[0].id, status="closed")
    with pytest.raises(SlotClosed):
        ask(make_user(), release_slots[0])


def test_closing_tells_the_waiting_and_books_directly_again(temple, release_slots, make_user):
    release = make_release(temple, release_slots)
    waiting = [ask(make_user(), release_slots[0]) for _ in range(3)]
    closed = service.close_release(release_id=release.id)
    assert closed.status == "closed" and closed.ended_at is not None
    assert {(status(t)["status"], status(t)["error"]) for t in waiting} == {("rejected", "release_closed")}
    assert service.admit_waiting(release_id=release.id) == 0
    assert isinstance(ask(make_user(), release_slots[0]), Booking)
    with pytest.raises(InvalidTransition):
        service.close_release(release_id=release.id)


def test_a_ticket_nobody_polls_is_still_admitted_and_answered_from_the_record(temple, release_slots, make_user,
                                                                             queue):
    release = make_release(temple, release_slots)
    ticket = ask(make_user(), release_slots[0])
    admit_all(release)
    queue.clear()  # the store forgot it (its time to live passed, or Redis restarted)
    view = status(ticket)
    assert view["status"] == "admitted" and view["booking"]["code"].startswith("SOM-")
    assert view["booking"]["qr_url"] == f"/api/v1/bookings/{view['booking']['code']}/qr.png"


def test_an_unqueued_release_is_first_come_first_served_once_open(temple, release_slots, make_user):
    make_release(temple, release_slots, queued=False)
    assert isinstance(ask(make_user(), release_slots[0]), Booking)


def test_tickets_are_signed(temple, release_slots, make_user):
    make_release(temple, release_slots)
    ticket = ask(make_user(), release_slots[0])["ticket"]
    with pytest.raises(InvalidToken):
        service.queue_ticket(ticket=ticket[:-2] + ("AA" if not ticket.endswith("AA") else "BB"))
    with pytest.raises(InvalidToken):
        service.queue_ticket(ticket="not-a-ticket")


def test_a_lapsed_admitter_is_taken_over_in_order(temple, release_slots, make_user, queue):
    release = make_release(temple, release_slots)
    tickets = [ask(make_user(), release_slots[0]) for _ in range(4)]
    queue.take(release.id, 2)  # an admitter took two tickets, then died before booking them
    assert service.run_admission(release_id=release.id, owner="next-worker") == 4
    admitted = db.session.scalars(db.select(ReleaseAdmission).order_by(ReleaseAdmission.resolved_at,
                                                                        ReleaseAdmission.number)).all()
    assert [a.number for a in admitted] == [1, 2, 3, 4]
    assert {status(t)["status"] for t in tickets} == {"admitted"}


def test_one_admitter_per_release(temple, release_slots, make_user, queue):
    release = make_release(temple, release_slots)
    ask(make_user(), release_slots[0])
    assert queue.lease(release.id, "worker-a", 30)
    assert service.run_admission(release_id=release.id, owner="worker-b") is None
    queue.drop_lease(release.id, "worker-a")
    assert service.run_admission(release_id=release.id, owner="worker-b") == 1


def test_release_rules(temple, release_slots, slot, make_user):
    other = service.create_temple(slug="dwarka", name="Dwarkadhish", location="Dwarka", lat=22.24, lng=68.97,
                                  code_prefix="DWK", zones=[])
    with pytest.raises(ValidationFailed) as late:
        make_release(temple, release_slots, opens_in=timedelta(days=3))
    assert late.value.errors == {"opens_at": ["Must be before the first slot starts."]}
    with pytest.raises(ValidationFailed) as foreign:
        service.create_release(temple_slug=other.slug, name="x", opens_at=utcnow(), slot_ids=[release_slots[0].id])
    assert foreign.value.errors == {"slot_ids": [f"Not slots of dwarka: {release_slots[0].id}."]}
    release = make_release(temple, release_slots[:2], opens_in=timedelta(minutes=5))
    with pytest.raises(SlotInRelease):
        make_release(temple, release_slots[1:])
    changed = service.change_release(release_id=release.id, per_person_limit=4, name="Shravan quota")
    assert (changed.per_person_limit, changed.name) == (4, "Shravan quota")
    assert service.open_release(release_id=release.id).status == "open"
    with pytest.raises(InvalidTransition):
        service.change_release(release_id=release.id, per_person_limit=1)
    with pytest.raises(InvalidTransition):
        service.open_release(release_id=release.id)
    service.close_release(release_id=release.id)
    assert make_release(temple, release_slots[1:]).status == "scheduled"  # a closed release's slot may be re-sold


def test_the_database_holds_a_release_slot_whatever_the_store_knows(temple, release_slots, make_user, queue):
    release = make_release(temple, release_slots)
    ask(make_user(), release_slots[0])
    queue.clear()  # the store lost everything (a Redis restart): no booking may bypass the queue
    with pytest.raises(SlotHeld):
        service.book_darshan(user=make_user(), slot_id=release_slots[0].id, party_size=1, visitors=[])
    assert service.is_ticket(ask(make_user(), release_slots[0]))  # the queue opens again from the record
    service.close_release(release_id=release.id)
    assert isinstance(service.book_darshan(user=make_user(), slot_id=release_slots[0].id, party_size=1,
                                           visitors=[]), Booking)
