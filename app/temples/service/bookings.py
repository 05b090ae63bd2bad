"""Darshan slots and bookings (PW-2 … PW-6): capacity and every state change enforced in the database.

Seats are taken with one conditional UPDATE (``booked + n <= capacity``) and freed by the one
request whose conditional status change wins; a ``CHECK (booked BETWEEN 0 AND capacity)`` backs
both. Who may see or cancel a booking: its owner, or an operator (admin always).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from app.core.cache import cached_read
from app.core.codes import read_token, sign_token
from app.core.errors import ValidationFailed
from app.core.events import transactional
from app.core.security import OPERATOR, ensure_owner_or_roles
from app.core.states import transition
from app.core.timeutil import local_to_utc, local_today, to_local, utcnow
from app.extensions import db
from app.temples import events
from app.temples.errors import (
    AlreadyCheckedIn,
    BookingAlreadyCancelled,
    BookingCancelled,
    BookingNotFound,
    CapacityBelowBooked,
    SlotClosed,
    SlotFull,
    SlotHeld,
    SlotNotFound,
    SlotPast,
    TicketUsed,
    WrongDate,
)
from app.temples.models import Booking, DarshanSlot
from app.temples.service.seats import take_seats_and_book
from app.temples.service.temples import get_temple

TOKEN_PURPOSE = "booking"
MAX_RANGE_DAYS = 92


@transactional
def generate_slots(*, temple_slug: str, date_from: date, date_to: date, start_time: time, end_time: time,
                   slot_minutes: int, capacity: int) -> list[DarshanSlot]:
    """Create slots for each day in the range (temple local time), keeping existing ones."""
    temple = get_temple(slug=temple_slug)
    if date_to < date_from or (date_to - date_from).days > MAX_RANGE_DAYS:
        raise ValidationFailed({"date_to": [f"Must be on or after date_from, at most {MAX_RANGE_DAYS} days later."]})
    if end_time <= start_time:
        raise ValidationFailed({"end_time": ["Must be after start_time."]})
    existing = set(db.session.scalars(select(DarshanSlot.starts_at).where(
        DarshanSlot.temple_id == temple.id,
        DarshanSlot.starts_at >= local_to_utc(date_from, time(0), temple.timezone),
        DarshanSlot.starts_at < local_to_utc(date_to + timedelta(days=1), time(0), temple.timezone))))
    made, day, step = [], date_from, timedelta(minutes=slot_minutes)
    while day <= date_to:
        start, stop = local_to_utc(day, start_time, temple.timezone), local_to_utc(day, end_time, temple.timezone)
        while start + step <= stop:
            if start not in existing:
                made.append(DarshanSlot(temple_id=temple.id, temple=temple, starts_at=start, ends_at=start + step,
                                        capacity=capacity, booked=0, status="open"))
            start += step
        day += timedelta(days=1)
    db.session.add_all(made)
    db.session.flush()
    events.slots_created(temple, len(made))
    return made


SLOT_FIELDS = ("id", "starts_at", "ends_at", "capacity", "booked", "status")


@cached_read("temples.slots", timeout=60, invalidated_by=("temples.",))
def _slot_rows(temple_slug: str, day_key: str) -> list[dict]:
    temple = get_temple(slug=temple_slug)
    day = date.fromisoformat(day_key) if not day_key.startswith("today:") else local_today(temple.timezone)
    start = local_to_utc(day, time(0), temple.timezone)
    slots = db.session.scalars(select(DarshanSlot).where(
        DarshanSlot.temple_id == temple.id, DarshanSlot.starts_at >= start,
        DarshanSlot.starts_at < start + timedelta(days=1)).order_by(DarshanSlot.starts_at))
    return [{**{f: getattr(slot, f) for f in SLOT_FIELDS}, "temple": {"slug": temple.slug}} for slot in slots]


def slots_for_day(*, temple_slug: str, day: date | None = None) -> list[dict]:
    """The temple's slots on a local date (default today), in order, with the seats left now.

    A cached read (plain data), dropped by any committed temples event, so a booking is seen at once;
    whether a slot is still bookable is decided at read time.
    """
    now = utcnow()
    rows = _slot_rows(temple_slug, day.isoformat() if day else f"today:{local_today().isoformat()}")
    return [{**row, "available": max(0, row["capacity"] - row["booked"]) if _bookable(row, now) else 0,
             "shown_status": "open" if _bookable(row, now) else "closed"} for row in rows]


def _bookable(row: dict, now) -> bool:
    return row["status"] == "open" and row["starts_at"] > now


def get_slot(slot_id: int) -> DarshanSlot:
    """Return a slot with its temple or raise 404."""
    slot = db.session.get(DarshanSlot, slot_id, options=[joinedload(DarshanSlot.temple)])
    if slot is None:
        raise SlotNotFound()
    return slot


@transactional
def change_slot(*, slot_id: int, capacity: int | None = None, status: str | None = None) -> DarshanSlot:
    """Close/open a slot or change its capacity (never below what is booked)."""
    slot = get_slot(slot_id)
    changes = {}
    if capacity is not None:
        result = db.session.execute(update(DarshanSlot).where(DarshanSlot.id == slot.id,
                                                               DarshanSlot.booked <= capacity)
                                    .values(capacity=capacity))
        if result.rowcount != 1:
            raise CapacityBelowBooked(f"{slot.booked} people are booked; capacity cannot go below that.")
        changes["capacity"] = [slot.capacity, capacity]
    if status is not None and status != slot.status:
        changes["status"] = [slot.status, status]
        slot.status = status
    db.session.flush()
    db.session.refresh(slot)
    events.slot_changed(slot, changes)
    return slot


def _refusal(slot_id: int, party: int):
    """Why the database refused the seats (read only on that path)."""
    slot = get_slot(slot_id)
    if slot.status != "open" or slot.starts_at <= utcnow():
        return SlotClosed()
    if slot.held:
        return SlotHeld()
    return SlotFull(f"Only {max(0, slot.capacity - slot.booked)} seats are left in this slot.")


@transactional
def book_darshan(*, user, slot_id: int, party_size: int, visitors: list[dict], admitted: bool = False) -> Booking:
    """Book seats for a party in one slot (409 slot_full / slot_closed; 404 for an unknown slot).

    A slot held by a quota release is refused (``SlotHeld``) unless its queue's admission books it (``admitted``).
    """
    if visitors and len(visitors) != party_size:
        raise ValidationFailed({"visitors": [f"List {party_size} visitors, or none."]})
    booking = take_seats_and_book(user_id=user.id, slot_id=slot_id, party_size=party_size,
                                  visitors=visitors or None, admitted=admitted)
    if booking is None:
        raise _refusal(slot_id, party_size)
    events.booking_created(booking)
    return booking


def my_bookings(*, user):
    """The user's bookings, newest first (a select for pagination)."""
    return (select(Booking).where(Booking.user_id == user.id).options(joinedload(Booking.slot))
            .order_by(Booking.created_at.desc(), Booking.id.desc()))


def get_booking(*, user, code: str, staff_ok: bool = True) -> Booking:
    """A booking its owner (or an operator, when allowed) may see; 404 for anyone else."""
    booking = db.session.scalar(select(Booking).where(Booking.code == code.upper()))
    return ensure_owner_or_roles(user, booking, *((OPERATOR,) if staff_ok else ()), missing=BookingNotFound)


@transactional
def cancel_booking(*, user, code: str) -> Booking:
    """Cancel a booking and free its seats; not after check-in or once the slot has started.

    The owner or an operator may cancel. Of concurrent cancels exactly one frees the seats: the
    status change is conditional, and only its winner gives the seats back.
    """
    booking = get_booking(user=user, code=code)
    if booking.slot.starts_at <= utcnow():
        raise SlotPast()
    if not transition(Booking, booking.id, from_="confirmed", to="cancelled", values={"cancelled_at": utcnow()}):
        db.session.expire(booking, ["status"])
        raise AlreadyCheckedIn() if booking.status == "checked_in" else BookingAlreadyCancelled()
    db.session.execute(update(DarshanSlot).where(DarshanSlot.id == booking.slot_id)
                       .values(booked=DarshanSlot.booked - booking.party_size))
    db.session.refresh(booking.slot)
    events.booking_cancelled(booking)
    return booking


def ticket_token(booking: Booking) -> str:
    """The signed token the QR code carries (never a bare id)."""
    return sign_token(TOKEN_PURPOSE, {"code": booking.code})


@transactional
def check_in(*, token: str | None = None, code: str | None = None) -> Booking:
    """Admit a booking at the gate from its scanned token (or its code, typed when the QR is unreadable): valid
    once, on its own date."""
    code = read_token(TOKEN_PURPOSE, token).get("code", "") if token else (code or "").strip().upper()
    booking = db.session.scalar(select(Booking).where(Booking.code == code))
    if booking is None:
        raise BookingNotFound("No booking for this ticket." if token else "No booking with this code.")
    if booking.status == "cancelled":
        raise BookingCancelled()
    tz = booking.slot.temple.timezone
    if to_local(booking.slot.starts_at, tz).date() != to_local(utcnow(), tz).date():
        raise WrongDate(f"This ticket is for {to_local(booking.slot.starts_at, tz):%d %b %Y}.")
    if not transition(Booking, booking.id, from_="confirmed", to="checked_in", values={"checked_in_at": utcnow()}):
        raise TicketUsed()
    events.booking_checked_in(booking)
    return booking


def bookings_due_reminder(now: datetime, lead: timedelta) -> list[Booking]:
    """Confirmed, unreminded bookings whose slot starts within ``lead`` from now."""
    return list(db.session.scalars(select(Booking).join(DarshanSlot).where(
        Booking.status == "confirmed", Booking.reminded_at.is_(None),
        DarshanSlot.starts_at > now, DarshanSlot.starts_at <= now + lead)))
