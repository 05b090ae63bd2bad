"""Taking seats and recording the booking, in as few statements as the database allows.

On PostgreSQL one statement does the whole booking: a data-modifying CTE takes the seats with the
conditional ``UPDATE … WHERE booked + n <= capacity`` and inserts the booking from the row it
updated, returning the booking, its slot and its temple together, so the row lock is held for one
statement and the response needs no further query. SQLite (the embedded demo) has no DML in CTEs:
there it is the same conditional UPDATE (with RETURNING) followed by the INSERT.
"""

from __future__ import annotations

import functools
import secrets

from sqlalchemy import Integer, String, bindparam, insert, literal, select, update
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from app.core.codes import ALPHABET
from app.core.timeutil import utcnow
from app.core.types import UTCDateTime
from app.extensions import db
from app.temples.models import Booking, DarshanSlot, Temple

SLOT_COLUMNS = ("id", "temple_id", "starts_at", "ends_at", "capacity", "booked", "status")
TEMPLE_COLUMNS = ("id", "slug", "code_prefix", "timezone")
BOOKING_COLUMNS = ("id", "code", "user_id", "slot_id", "party_size", "visitors", "status", "created_at")


def _code_body() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(6))


def _persistent(model, values: dict):
    """An object for a row this statement returned, placed in the session as loaded (no query, no flush)."""
    known = db.session.identity_map.get(db.session.identity_key(model, values["id"]))
    if known is not None:
        for key, value in values.items():
            set_committed_value(known, key, value)
        return known
    obj = model()
    for key, value in values.items():
        set_committed_value(obj, key, value)
    make_transient_to_detached(obj)
    db.session.add(obj)
    return obj


def _takeable(slot_id: int, party_size: int, now, admitted: bool) -> tuple:
    """The conditions under which seats may be taken; a release's held slot only by its admission."""
    held = () if admitted else (DarshanSlot.held.is_(False),)
    return (DarshanSlot.id == slot_id, DarshanSlot.status == "open", *held,
            DarshanSlot.booked + party_size <= DarshanSlot.capacity, DarshanSlot.starts_at > now)


def take_seats_and_book(*, user_id: int, slot_id: int, party_size: int, visitors: list | None,
                        admitted: bool = False) -> Booking | None:
    """Book ``party_size`` seats of an open, future slot; None when the database refused (full, closed, held, gone)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return _in_one_statement(user_id, slot_id, party_size, visitors, admitted)
    return _in_two_statements(user_id, slot_id, party_size, visitors, admitted)


def _in_one_statement(user_id, slot_id, party_size, visitors, admitted) -> Booking | None:
    now = utcnow()
    row = db.session.execute(_booking_statement(admitted), {
        "p_slot_id": slot_id, "p_party_size": party_size, "p_now": now, "p_created_at": now, "p_user_id": user_id,
        "p_code_suffix": "-" + _code_body(), "p_visitors": visitors}).mappings().first()
    return None if row is None else _objects(row)


@functools.cache
def _booking_statement(admitted: bool):
    """The booking CTE, built once per shape with bound parameters: building it (CTE column proxies, coercions)
    cost more CPU than running it; a reused statement also keeps its SQL cache key memoized."""
    party_size = bindparam("p_party_size", type_=Integer)
    taken = (update(DarshanSlot)
             .where(*_takeable(bindparam("p_slot_id", type_=Integer), party_size,
                               bindparam("p_now", type_=UTCDateTime()), admitted))
             .values(booked=DarshanSlot.booked + party_size)
             .returning(*(getattr(DarshanSlot, c) for c in SLOT_COLUMNS)).cte("taken"))
    code = Temple.code_prefix + bindparam("p_code_suffix", type_=String)
    made = (insert(Booking)
            .from_select(["code", "user_id", "slot_id", "party_size", "visitors", "status", "created_at"],
                         select(code, bindparam("p_user_id", type_=Integer), taken.c.id, party_size,
                                bindparam("p_visitors", type_=Booking.visitors.type), literal("confirmed"),
                                bindparam("p_created_at", type_=Booking.created_at.type))
                         .join_from(taken, Temple, Temple.id == taken.c.temple_id))
            .returning(*(getattr(Booking, c) for c in BOOKING_COLUMNS)).cte("made"))
    return (select(*(made.c[c].label(f"b_{c}") for c in BOOKING_COLUMNS),
                   *(taken.c[c].label(f"s_{c}") for c in SLOT_COLUMNS),
                   *(getattr(Temple, c).label(f"t_{c}") for c in TEMPLE_COLUMNS))
            .join_from(made, taken, taken.c.id == made.c.slot_id).join(Temple, Temple.id == taken.c.temple_id))


def _objects(row) -> Booking:
    temple = _persistent(Temple, {c: row[f"t_{c}"] for c in TEMPLE_COLUMNS})
    slot = _persistent(DarshanSlot, {c: row[f"s_{c}"] for c in SLOT_COLUMNS})
    booking = _persistent(Booking, {c: row[f"b_{c}"] for c in BOOKING_COLUMNS})
    set_committed_value(slot, "temple", temple)
    set_committed_value(booking, "slot", slot)
    for name in ("checked_in_at", "cancelled_at", "reminded_at"):
        set_committed_value(booking, name, None)
    return booking


def _in_two_statements(user_id, slot_id, party_size, visitors, admitted) -> Booking | None:
    now = utcnow()
    slot = db.session.scalars(
        update(DarshanSlot)
        .where(*_takeable(slot_id, party_size, now, admitted))
        .values(booked=DarshanSlot.booked + party_size).returning(DarshanSlot)
        .execution_options(populate_existing=True)).first()
    if slot is None:
        return None
    booking = Booking(code=f"{slot.temple.code_prefix}-{_code_body()}", user_id=user_id, slot_id=slot.id, slot=slot,
                      party_size=party_size, visitors=visitors, status="confirmed", created_at=now)
    db.session.add(booking)
    db.session.flush()
    return booking
