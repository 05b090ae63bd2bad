"""Domain events: published inside a transaction, delivered only after it commits.

A service calls ``publish(Event(...))`` while it changes rows. Subscribers of the
``in_transaction`` phase (the audit log) run at once, so their rows share the transaction.
Subscribers of the ``after_commit`` phase (Socket.IO, notifications, cache invalidation)
run after the outermost commit; when the transaction rolls back nothing is delivered.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from app.extensions import db

log = logging.getLogger("sangam.events")

PENDING = "sangam_pending_events"
COMMITTED = "sangam_committed_events"
DEPTH = "sangam_tx_depth"


@dataclass
class Event:
    """Something that happened in a domain.

    name: ``<domain>.<thing>_<verb>`` (e.g. ``temples.booking_created``).
    payload: JSON-ready dict, the same shape as the REST resource.
    channel / socket_event / scope: where Socket.IO delivers it (see app.realtime.rooms).
    entity / entity_id / action / changes: what the audit log records
    (changes = {field: [before, after]}).
    """

    name: str
    payload: dict = field(default_factory=dict)
    channel: str | None = None
    socket_event: str | None = None
    scope: dict = field(default_factory=dict)
    entity: str | None = None
    entity_id: Any = None
    action: str | None = None
    changes: dict | None = None
    audit: bool = True


Subscriber = Callable[[Event], None]
_subscribers: dict[str, list[tuple[str | None, Subscriber]]] = {"in_transaction": [], "after_commit": []}


def subscribe(handler: Subscriber, *, phase: str = "after_commit", prefix: str | None = None) -> None:
    """Register a subscriber for events whose name starts with ``prefix`` (all when None)."""
    entry = (prefix, handler)
    if entry not in _subscribers[phase]:
        _subscribers[phase].append(entry)


def unsubscribe(handler: Subscriber) -> None:
    for entries in _subscribers.values():
        entries[:] = [e for e in entries if e[1] is not handler]


def _matching(phase: str, evt: Event):
    return [h for prefix, h in list(_subscribers[phase]) if prefix is None or evt.name.startswith(prefix)]


def publish(evt: Event) -> None:
    """Queue an event on the current transaction (audit rows are added to it now)."""
    session = db.session()
    for handler in _matching("in_transaction", evt):
        handler(evt)
    session.info.setdefault(PENDING, []).append(evt)


def dispatch_committed() -> int:
    """Deliver events whose transaction has committed; return how many were delivered."""
    session = db.session()
    events = session.info.pop(COMMITTED, [])
    for evt in events:
        for handler in _matching("after_commit", evt):
            try:
                handler(evt)
            except Exception:  # one failing subscriber must not stop the others
                log.exception("event subscriber failed", extra={"event": evt.name})
    return len(events)


@sa_event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    pending = session.info.pop(PENDING, [])
    if pending:
        session.info.setdefault(COMMITTED, []).extend(pending)


@sa_event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    if session.in_nested_transaction():
        return
    session.info.pop(PENDING, None)


@contextmanager
def unit_of_work():
    """One unit of work: only the outermost block commits; on an exception it rolls back.

    Events published inside are delivered after the outermost commit, and dropped on rollback.
    Nested blocks (services calling services) join the outer one.
    """
    session = db.session()
    depth = session.info.get(DEPTH, 0)
    session.info[DEPTH] = depth + 1
    try:
        yield session
        if depth == 0:
            session.commit()
    except BaseException:
        if depth == 0:
            session.rollback()
            session.info.pop(PENDING, None)  # also when the outermost block is a savepoint (tests)
        raise
    finally:
        session.info[DEPTH] = depth
    if depth == 0:
        dispatch_committed()


def transactional(fn: Callable) -> Callable:
    """Make a service function one unit of work (see ``unit_of_work``)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with unit_of_work():
            return fn(*args, **kwargs)

    return wrapper
