"""The virtual queue in front of a quota release (issue 14): 202 and a ticket, then the result when admitted.

``request_booking`` is what ``POST /bookings`` calls. A slot outside any live release is booked at once
(``book_darshan``, 201 as always). For a slot of a live queued release the request becomes a **ticket** at the
back of the release's queue (the store: Redis, or this process), answered 202 with its position; admission
workers (``service/admission.py``) then book the tickets in arrival order through the same ``book_darshan``.

The ticket is a signed token (``sign_token("queue_ticket", {r, t})`` over a random 128-bit id): it cannot be
guessed or forged, and it is all a client needs to learn its result (``queue_ticket``) or to watch it on
Socket.IO, so that 10 000 waiting clients never touch the database. One person — an account, and a phone number
across accounts — holds one place in a release's queue at a time, and gets at most ``per_person_limit``
bookings from it.
"""

from __future__ import annotations

import json
import secrets

from flask import current_app
from sqlalchemy import func, or_, select

from app.core.errors import ValidationFailed
from app.core.timeutil import utcnow
from app.extensions import db
from app.temples.errors import (
    AlreadyQueued,
    QueueUnavailable,
    ReleaseLimitReached,
    ReleaseNotOpen,
    SlotClosed,
    SlotFull,
    SlotHeld,
    SoldOut,
    TicketNotFound,
)
from app.temples.models import Booking, DarshanSlot, Release, ReleaseAdmission
from app.temples.service.admission import kick
from app.temples.service.bookings import book_darshan, get_slot
from app.temples.service.queue_store import queue_store
from app.temples.service.queue_tickets import (
    ENDED,
    MESSAGES,
    admission_ticket,
    people_of,
    phone_key,
    read_ticket,
    sign_ticket,
    ticket_view,
)
from app.temples.service.releases import open_if_due


def _store_call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except (ConnectionError, OSError, TimeoutError) as exc:
        raise QueueUnavailable() from exc
    except Exception as exc:  # redis.RedisError and friends
        if type(exc).__module__.startswith("redis"):
            raise QueueUnavailable() from exc
        raise


def request_booking(*, user, slot_id: int, party_size: int, visitors: list[dict]):
    """Book a slot now, or queue the request while a queued release sells it (a Booking, or a waiting ticket)."""
    try:
        return book_darshan(user=user, slot_id=slot_id, party_size=party_size, visitors=visitors)
    except SlotHeld:  # the database refused: a release holds the slot (only then does the queue cost a query)
        pass
    slot = get_slot(slot_id)
    release = db.session.get(Release, slot.release_id)
    if release.status == "sold_out":
        raise SoldOut()
    if not open_if_due(release):
        raise ReleaseNotOpen(f"This slot is sold through “{release.name}”, which opens at "
                             f"{release.opens_at.isoformat()}.")
    if not release.queued or release.status == "closed":  # it has just stopped holding the slot
        return book_darshan(user=user, slot_id=slot_id, party_size=party_size, visitors=visitors)
    _check_request(slot, party_size, visitors)
    return _enqueue(release, user, slot, party_size, visitors)


def _check_request(slot: DarshanSlot, party_size: int, visitors: list[dict]) -> None:
    """Refuse at once what admission would refuse anyway (bad input, a closed or too-full slot)."""
    if visitors and len(visitors) != party_size:
        raise ValidationFailed({"visitors": [f"List {party_size} visitors, or none."]})
    if not slot.bookable:
        raise SlotClosed()
    if slot.available < party_size:
        raise SlotFull(f"Only {slot.available} seats are left in this slot.")


def _enqueue(release: Release, user, slot: DarshanSlot, party_size: int, visitors: list[dict]) -> dict:
    store, people = queue_store(), people_of(user.id, phone_key(user.phone))
    ticket = {"id": secrets.token_hex(16), "release_id": release.id, "user_id": user.id,
              "phone_key": phone_key(user.phone), "slot_id": slot.id, "party_size": party_size,
              "visitors": json.dumps(visitors or []), "enqueued_at": utcnow().isoformat()}
    ticket["token"] = sign_ticket(ticket)  # signed once: the ticket reads the same in every answer
    ttl = current_app.config.get("RELEASE_TICKET_TTL_SECONDS", 6 * 3600)
    answer = _store_call(store.enqueue, release.id, ticket, people=people, check_limit=True, ttl=ttl)
    if answer[0] == "missing":
        _store_call(store.open, release.id, limit=release.per_person_limit)
        answer = _store_call(store.enqueue, release.id, ticket, people=people, check_limit=True, ttl=ttl)
    if answer[0] == "limit":
        if _bookings_held(release.id, user.id, ticket["phone_key"]) >= release.per_person_limit:
            raise ReleaseLimitReached(f"One person may make {release.per_person_limit} bookings in this release.")
        answer = _store_call(store.enqueue, release.id, ticket, people=people, check_limit=False, ttl=ttl)
    _refuse(answer)
    kick(release.id)
    return ticket_view({**ticket, "number": answer[1], "status": "waiting", "position": answer[2],
                        "waiting": answer[2], "release_state": "open"})


def _refuse(answer: list) -> None:
    outcome = answer[0]
    if outcome == "queued":
        return
    if outcome == "already_queued":
        where = f" (position {answer[2]})" if int(answer[2] or 0) else ""
        raise AlreadyQueued(f"You already hold a place in this release's queue{where}; wait for its result.")
    if outcome == "slot_full":
        raise SlotFull("This slot is full.")
    raise SoldOut() if outcome == "sold_out" else ReleaseNotOpen("This release is not taking requests.")


def _bookings_held(release_id: int, user_id: int, phone: str | None) -> int:
    """Bookings the person still holds from this release's queue (by account or by phone)."""
    who = ReleaseAdmission.user_id == user_id
    if phone:
        who = or_(who, ReleaseAdmission.phone_key == phone)
    return db.session.scalar(select(func.count()).select_from(ReleaseAdmission).join(
        Booking, Booking.id == ReleaseAdmission.booking_id).where(
        ReleaseAdmission.release_id == release_id, who, Booking.status != "cancelled")) or 0


def queue_ticket(*, ticket: str) -> dict:
    """Where a ticket stands: its place in the queue, or its result (the store first, then the record)."""
    release_id, ticket_id = read_ticket(ticket)
    found = _store_call(queue_store().view, ticket_id)
    if found:
        return ticket_view(found)
    admission = db.session.get(ReleaseAdmission, ticket_id)
    if admission is not None:
        booking = db.session.get(Booking, admission.booking_id) if admission.booking_id else None
        return ticket_view(admission_ticket(admission) | {"booking_code": booking.code if booking else "",
                                                          "token": ticket})
    release = db.session.get(Release, release_id)
    if release is not None and release.status in ENDED:
        return {"ticket": ticket, "release_id": release_id, "status": "rejected", "error": ENDED[release.status],
                "message": MESSAGES[ENDED[release.status]], "position": None}
    raise TicketNotFound()


def is_ticket(outcome) -> bool:
    """True when ``request_booking`` queued the request (a ticket) rather than booking it (a Booking)."""
    return isinstance(outcome, dict) and "ticket" in outcome


def watch_ticket(*, ticket: str) -> tuple[str, dict]:
    """The internal id (its Socket.IO room) and the current view of a ticket someone wants to watch."""
    _release_id, ticket_id = read_ticket(ticket)
    return ticket_id, queue_ticket(ticket=ticket)


def on_booking_cancelled(evt) -> None:
    """Seats freed in a queued release's slot: the slot is no longer known to be full (after commit)."""
    slot = db.session.get(DarshanSlot, evt.payload.get("slot_id"))
    if slot is not None and slot.release_id is not None:
        _store_call(queue_store().unmark_full, slot.release_id, slot.id)
