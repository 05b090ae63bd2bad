"""Admission: a release's waiting tickets are booked in arrival order, one batch per database transaction.

One admitter serves a release at a time (a lease in the queue store), so admission order is arrival order
exactly; the next batch starts when the last one has committed, so the pace is what the database sustains.
Each ticket is booked by ``book_darshan`` — the one conditional UPDATE that never overbooks — in a savepoint,
and leaves a ``ReleaseAdmission`` row (its primary key is the ticket: a ticket is admitted once, even if two
admitters ever raced). When no seat is left the release is sold out and every waiting ticket is answered at once.

Who runs it (``RELEASE_ADMITTER``): ``celery`` — ``tasks.temples.admit_release`` on the ``releases`` queue, each
task serving one release for up to ``SERVE_SECONDS`` and handing over to a fresh task while tickets wait; a
lapsed lease (dead worker) is taken over and its in-flight tickets recovered. ``thread`` — a daemon thread in
this process (embedded mode). ``manual`` — nothing runs by itself (tests call ``admit_waiting``).
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from datetime import datetime

from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from app.auth import service as auth_service
from app.core.context import SYSTEM, Actor, set_actor
from app.core.errors import APIError
from app.core.events import transactional
from app.core.jobs import send_now
from app.core.timeutil import utcnow
from app.extensions import db
from app.temples import events
from app.temples.models import Booking, DarshanSlot, Release, ReleaseAdmission
from app.temples.service.bookings import book_darshan
from app.temples.service.queue_store import queue_store
from app.temples.service.queue_tickets import ENDED, MESSAGES, people_of, ticket_view
from app.temples.service.releases import due_releases, end_release, get_release, open_if_due, tell_waiting

SERVE_SECONDS = 20.0
ADMIT_TASK = "tasks.temples.admit_release"


def _config(name: str, default):
    return current_app.config.get(name, default)


def _outcome(ticket: dict, status: str, error: str | None = None, message: str | None = None,
             booking: Booking | None = None) -> dict:
    return {"id": ticket["id"], "status": status, "error": error, "message": message,
            "booking_id": booking.id if booking else None, "booking_code": booking.code if booking else None,
            "resolved_at": utcnow().isoformat(),
            "people": people_of(int(ticket["user_id"]), ticket["phone_key"] or None)}


def _seats(release_id: int) -> dict[int, int]:
    """Seats each of the release's slots can still sell (0 once closed or started)."""
    slots = db.session.scalars(select(DarshanSlot).where(DarshanSlot.release_id == release_id)
                               .options(joinedload(DarshanSlot.temple)))
    return {slot.id: slot.available for slot in slots}


def _held(release_id: int, tickets: list[dict]) -> list[tuple[int, str | None, int]]:
    """(user, phone, bookings still held) from this release's queue, for the people of these tickets."""
    users = {int(t["user_id"]) for t in tickets}
    phones = {t["phone_key"] for t in tickets if t["phone_key"]}
    who = ReleaseAdmission.user_id.in_(users)
    if phones:
        who = or_(who, ReleaseAdmission.phone_key.in_(phones))
    return [tuple(row) for row in db.session.execute(
        select(ReleaseAdmission.user_id, ReleaseAdmission.phone_key, func.count())
        .join(Booking, Booking.id == ReleaseAdmission.booking_id)
        .where(ReleaseAdmission.release_id == release_id, Booking.status != "cancelled", who)
        .group_by(ReleaseAdmission.user_id, ReleaseAdmission.phone_key))]


def _book(ticket: dict) -> Booking:
    """Book one ticket's request as its pilgrim (the audit trail names them), in a savepoint."""
    user = auth_service.get_user(int(ticket["user_id"]))
    set_actor(Actor("user", user.id, user.email))
    try:
        with db.session.begin_nested():
            return book_darshan(user=user, slot_id=int(ticket["slot_id"]), party_size=int(ticket["party_size"]),
                                visitors=json.loads(ticket["visitors"] or "[]"), admitted=True)
    finally:
        set_actor(SYSTEM)


def _admit_one(release: Release, ticket: dict, seats: dict[int, int], held: list) -> dict:
    user, phone = int(ticket["user_id"]), ticket["phone_key"] or None
    slot_id, party = int(ticket["slot_id"]), int(ticket["party_size"])
    if sum(n for u, p, n in held if u == user or (phone and p == phone)) >= release.per_person_limit:
        return _outcome(ticket, "rejected", "release_limit_reached",
                        f"One person may make {release.per_person_limit} bookings in this release.")
    if sum(seats.values()) <= 0:  # the last seat went earlier in this batch: sold out, as for those still waiting
        return _outcome(ticket, "rejected", "sold_out", MESSAGES["sold_out"])
    if seats.get(slot_id, 0) < party:
        left = seats.get(slot_id, 0)
        return _outcome(ticket, "rejected", "slot_full", f"Only {left} seats were left in this slot at your turn."
                        if left else "This slot was full at your turn.")
    try:
        booking = _book(ticket)
    except APIError as exc:
        return _outcome(ticket, "rejected", exc.error, exc.message)
    seats[slot_id] -= party
    held.append((user, phone, 1))
    return _outcome(ticket, "admitted", booking=booking)


def _record(release_id: int, ticket: dict, outcome: dict) -> ReleaseAdmission:
    return ReleaseAdmission(
        ticket=ticket["id"], release_id=release_id, number=int(ticket["number"]), user_id=int(ticket["user_id"]),
        phone_key=ticket["phone_key"] or None, slot_id=int(ticket["slot_id"]), party_size=int(ticket["party_size"]),
        outcome="admitted" if outcome["status"] == "admitted" else outcome["error"],
        booking_id=outcome["booking_id"], enqueued_at=datetime.fromisoformat(ticket["enqueued_at"]),
        resolved_at=datetime.fromisoformat(outcome["resolved_at"]))


@transactional
def _admit(release_id: int, tickets: list[dict]) -> tuple[list[dict], dict[int, int]]:
    """Resolve a batch of tickets in one transaction; the release row is locked so a close waits for it."""
    release = db.session.scalar(select(Release).where(Release.id == release_id).with_for_update())
    seats = _seats(release_id)
    if release is None or release.status != "open":
        error = ENDED.get(release.status if release else "closed", "release_closed")
        return [_outcome(t, "rejected", error, MESSAGES[error]) for t in tickets], seats
    done = set(db.session.scalars(select(ReleaseAdmission.ticket).where(
        ReleaseAdmission.ticket.in_([t["id"] for t in tickets]))))
    held, outcomes = _held(release_id, tickets), []
    for ticket in tickets:
        if ticket["id"] in done:  # admitted by an admitter whose lease lapsed: recovered separately
            continue
        outcome = _admit_one(release, ticket, seats, held)
        outcomes.append(outcome)
        db.session.add(_record(release_id, ticket, outcome))
    return outcomes, seats


def admit_waiting(*, release_id: int, batch: int | None = None) -> int:
    """Admit the next tickets of a release's queue in arrival order; return how many were resolved."""
    store, started = queue_store(), time.monotonic()
    tickets = store.take(release_id, batch or _config("RELEASE_BATCH_SIZE", 100))
    if not tickets:
        return 0
    outcomes, seats = _admit(release_id, tickets)
    store.resolve(release_id, outcomes, ttl=_config("RELEASE_TICKET_TTL_SECONDS", 6 * 3600))
    by_id = {t["id"]: t for t in tickets}
    for outcome in outcomes:
        events.booking_result(outcome["id"], ticket_view(by_id[outcome["id"]] | outcome | {"release_state": ""}))
    left = sum(seats.values())
    rate = len(tickets) / max(time.monotonic() - started, 1e-3)
    store.note_progress(release_id, rate=rate, seats_left=left, full=[s for s, n in seats.items() if n <= 0])
    if left <= 0:
        sell_out(release_id)
    return len(tickets)


def sell_out(release_id: int) -> None:
    """No seat is left: the release is sold out and every waiting ticket is told at once."""
    if end_release(release_id=release_id, to="sold_out") is not None:
        tell_waiting(release_id, "sold_out")


def _recorded(ticket: dict, admission: ReleaseAdmission) -> dict:
    if admission.outcome != "admitted":
        return _outcome(ticket, "rejected", admission.outcome)
    return _outcome(ticket, "admitted", booking=db.session.get(Booking, admission.booking_id or 0))


def _recover(release_id: int) -> None:
    """Tickets a lapsed admitter took: resolved ones get their recorded outcome, the rest go back to the head."""
    store = queue_store()
    stale = store.inflight(release_id)
    if not stale:
        return
    rows = {a.ticket: a for a in db.session.scalars(select(ReleaseAdmission).where(
        ReleaseAdmission.ticket.in_([t["id"] for t in stale])))}
    resolved = [_recorded(t, rows[t["id"]]) for t in stale if t["id"] in rows]
    store.resolve(release_id, resolved, ttl=_config("RELEASE_TICKET_TTL_SECONDS", 6 * 3600))
    store.requeue(release_id, [t for t in stale if t["id"] not in rows])


def run_admission(*, release_id: int, owner: str, max_seconds: float = SERVE_SECONDS) -> int | None:
    """Serve one release while tickets wait (at most ``max_seconds``); None when another admitter holds it."""
    store, lease = queue_store(), _config("RELEASE_LEASE_SECONDS", 15)
    if not store.lease(release_id, owner, lease):
        return None
    try:
        _recover(release_id)
        done, deadline = 0, time.monotonic() + max_seconds
        while time.monotonic() < deadline:
            admitted = admit_waiting(release_id=release_id)
            if not admitted or not store.lease(release_id, owner, lease):
                break
            done += admitted
        return done
    finally:
        store.drop_lease(release_id, owner)
        db.session.remove()


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def serve_release(*, release_id: int, max_seconds: float = SERVE_SECONDS) -> int:
    """Admit a release's queue for a while, then ask for a fresh admitter if tickets still wait (the task's body)."""
    done = run_admission(release_id=release_id, owner=_owner(), max_seconds=max_seconds)
    if done is None:
        return 0
    store = queue_store()
    store.drop_kick(release_id)
    if store.state(release_id) == "open" and store.waiting(release_id):
        kick(release_id)
    return done


def kick(release_id: int) -> None:
    """Make sure an admitter serves the release soon (one request for one is outstanding at a time)."""
    mode = _config("RELEASE_ADMITTER", "thread")
    store = queue_store()
    if mode == "celery":
        claimed = store.claim_kick(release_id, 2 * _config("RELEASE_LEASE_SECONDS", 15))
        if claimed and not send_now(ADMIT_TASK, release_id):
            store.drop_kick(release_id)
    elif mode == "thread":
        AdmissionThread.wake(current_app._get_current_object(), release_id)


def sweep_releases() -> int:
    """Open releases whose time has come; make sure every open release with waiting tickets is served."""
    served = 0
    for release_id in due_releases():
        if open_if_due(get_release(release_id)) and queue_store().waiting(release_id):
            kick(release_id)
            served += 1
    return served


class AdmissionThread:
    """The embedded admitter: one daemon thread per process and app, woken by ``kick``, sweeping every few seconds."""

    _threads: dict[int, AdmissionThread] = {}
    _guard = threading.Lock()
    SWEEP_SECONDS = 5.0

    def __init__(self, app):
        self.app, self.pending, self.wakeup, self.stopping = app, set(), threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._loop, name="sangam-release-admitter", daemon=True)

    @classmethod
    def wake(cls, app, release_id: int) -> None:
        with cls._guard:
            runner = cls._threads.get(id(app))
            if runner is None or not runner.thread.is_alive():
                runner = cls._threads[id(app)] = cls(app)
                runner.thread.start()
            runner.pending.add(release_id)
        runner.wakeup.set()

    @classmethod
    def stop(cls, app) -> None:
        """Stop this app's admitter thread (shutdown; tests) after its current batch."""
        with cls._guard:
            runner = cls._threads.pop(id(app), None)
        if runner is not None:
            runner.stopping.set()
            runner.wakeup.set()
            runner.thread.join(timeout=10)

    def _loop(self) -> None:
        swept = 0.0
        while not self.stopping.is_set():
            self.wakeup.wait(timeout=1.0)
            self.wakeup.clear()
            if self.stopping.is_set():
                return
            with self.app.app_context():
                try:
                    if time.monotonic() - swept > self.SWEEP_SECONDS:
                        swept = time.monotonic()
                        sweep_releases()
                    while self.pending:
                        run_admission(release_id=self.pending.pop(), owner=_owner())
                except Exception:  # keep serving: one failing batch must not stop the admitter
                    current_app.logger.exception("release admission failed")
                finally:
                    db.session.remove()
