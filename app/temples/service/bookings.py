"""Darshan slots and bookings (PW-2 … PW-6): capacity enforced in the database."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.core.codes import read_token, short_code, sign_token
from app.core.errors import Conflict, NotFound, ValidationFailed
from app.core.events import Event, publish, transactional
from app.core.security import has_role
from app.core.timeutil import local_to_utc, to_local, utcnow
from app.extensions import db
from app.temples.models import Booking, DarshanSlot, Temple

TOKEN_PURPOSE = "booking"
STAFF = ("operator",)


def slot_view(slot: DarshanSlot) -> dict:
    """A slot as pilgrims see it: one that has started is closed, with no seats left to book."""
    bookable = slot.status == "open" and slot.starts_at > utcnow()
    return {"id": slot.id, "temple": slot.temple.slug, "starts_at": slot.starts_at, "ends_at": slot.ends_at,
            "capacity": slot.capacity, "booked": slot.booked,
            "available": max(0, slot.capacity - slot.booked) if bookable else 0,
            "status": "open" if bookable else "closed"}


@transactional
def generate_slots(*, temple: Temple, date_from: date, date_to: date, start_time: time, end_time: time,
                   slot_minutes: int, capacity: int) -> list[DarshanSlot]:
    """Create slots for each day in the range (temple local time), keeping existing ones."""
    if date_to < date_from or (date_to - date_from).days > 92:
        raise ValidationFailed({"date_to": ["Must be on or after date_from, at most 92 days later."]})
    if end_time <= start_time:
        raise ValidationFailed({"end_time": ["Must be after start_time."]})
    existing = set(db.session.scalars(select(DarshanSlot.starts_at).where(
        DarshanSlot.temple_id == temple.id,
        DarshanSlot.starts_at >= local_to_utc(date_from, time(0), temple.timezone),
        DarshanSlot.starts_at < local_to_utc(date_to + timedelta(days=1), time(0), temple.timezone))))
    made, day = [], date_from
    while day <= date_to:
        start, stop = local_to_utc(day, start_time, temple.timezone), local_to_utc(day, end_time, temple.timezone)
        while start + timedelta(minutes=slot_minutes) <= stop:
            if start not in existing:
                made.append(DarshanSlot(temple_id=temple.id, starts_at=start,
                                        ends_at=start + timedelta(minutes=slot_minutes), capacity=capacity,
                                        booked=0, status="open"))
            start += timedelta(minutes=slot_minutes)
        day += timedelta(days=1)
    db.session.add_all(made)
    db.session.flush()
    publish(Event(name="temples.slots_created", payload={"temple": temple.slug, "count": len(made)},
                  entity="temple", entity_id=temple.id, action="create_slots", changes={"slots": [None, len(made)]}))
    return made


def slots_for_day(*, temple: Temple, day: date) -> list[DarshanSlot]:
    """The temple's slots on a local date, in order."""
    start = local_to_utc(day, time(0), temple.timezone)
    return list(db.session.scalars(select(DarshanSlot).where(
        DarshanSlot.temple_id == temple.id, DarshanSlot.starts_at >= start,
        DarshanSlot.starts_at < start + timedelta(days=1)).order_by(DarshanSlot.starts_at)))


def get_slot(slot_id: int) -> DarshanSlot:
    slot = db.session.get(DarshanSlot, slot_id, options=[joinedload(DarshanSlot.temple)])
    if slot is None:
        raise NotFound("No slot with this id.")
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
            raise Conflict(f"{slot.booked} people are booked; capacity cannot go below that.",
                           error="capacity_below_booked")
        changes["capacity"] = [slot.capacity, capacity]
    if status is not None and status != slot.status:
        changes["status"] = [slot.status, status]
        slot.status = status
    db.session.flush()
    db.session.refresh(slot)
    publish(Event(name="temples.slot_changed", payload={"id": slot.id}, entity="slot", entity_id=slot.id,
                  action="update", changes=changes))
    return slot


def _take_seats(slot_id: int, party: int) -> None:
    """Reserve seats with one conditional UPDATE: the database refuses to overbook."""
    result = db.session.execute(
        update(DarshanSlot)
        .where(DarshanSlot.id == slot_id, DarshanSlot.status == "open",
               DarshanSlot.booked + party <= DarshanSlot.capacity, DarshanSlot.starts_at > utcnow())
        .values(booked=DarshanSlot.booked + party))
    if result.rowcount == 1:
        return
    slot = get_slot(slot_id)
    if slot.status != "open" or slot.starts_at <= utcnow():
        raise Conflict("This slot is closed or has already started.", error="slot_closed")
    raise Conflict(f"Only {max(0, slot.capacity - slot.booked)} seats are left in this slot.", error="slot_full")


def _existing(user_id: int, key: str | None) -> Booking | None:
    if not key:
        return None
    return db.session.scalar(select(Booking).where(Booking.user_id == user_id, Booking.idempotency_key == key))


def book_darshan(*, user, slot_id: int, party_size: int, visitors: list[dict],
                 idempotency_key: str | None = None) -> Booking:
    """Book seats for a party; a retried request with the same Idempotency-Key returns the same booking."""
    found = _existing(user.id, idempotency_key)
    if found:
        return found
    try:
        return _book(user=user, slot_id=slot_id, party_size=party_size, visitors=visitors,
                     idempotency_key=idempotency_key)
    except IntegrityError:
        found = _existing(user.id, idempotency_key)
        if found is None:
            raise
        return found


@transactional
def _book(*, user, slot_id: int, party_size: int, visitors: list[dict], idempotency_key: str | None) -> Booking:
    if visitors and len(visitors) != party_size:
        raise ValidationFailed({"visitors": [f"List {party_size} visitors, or none."]})
    slot = get_slot(slot_id)
    _take_seats(slot.id, party_size)
    booking = Booking(code=short_code(slot.temple.code_prefix), user_id=user.id, slot_id=slot.id,
                      party_size=party_size, visitors=visitors or None, status="confirmed",
                      idempotency_key=idempotency_key, created_at=utcnow())
    db.session.add(booking)
    db.session.flush()
    publish(Event(name="temples.booking_created", payload={"code": booking.code, "slot_id": slot.id},
                  entity="booking", entity_id=booking.code, action="create",
                  changes={"party_size": [None, party_size], "status": [None, "confirmed"]}))
    return booking


def my_bookings(*, user):
    """The user's bookings, newest first (a select for pagination)."""
    return select(Booking).where(Booking.user_id == user.id).order_by(Booking.created_at.desc(), Booking.id.desc())


def get_booking(*, user, code: str, staff_ok: bool = True) -> Booking:
    """A booking its owner (or an operator, when allowed) may see; 404 for anyone else."""
    booking = db.session.scalar(select(Booking).where(Booking.code == code.upper()))
    if booking is None or (booking.user_id != user.id and not (staff_ok and has_role(user, *STAFF))):
        raise NotFound("No booking with this code.")
    return booking


@transactional
def cancel_booking(*, user, code: str) -> Booking:
    """Cancel a booking and free its seats; not after check-in or once the slot has started."""
    booking = get_booking(user=user, code=code)
    if booking.status == "checked_in":
        raise Conflict("The booking has been used at the gate.", error="already_checked_in")
    if booking.status == "cancelled":
        raise Conflict("The booking is already cancelled.", error="already_cancelled")
    if booking.slot.starts_at <= utcnow():
        raise Conflict("The slot has already started.", error="slot_past")
    booking.status, booking.cancelled_at = "cancelled", utcnow()
    db.session.execute(update(DarshanSlot).where(DarshanSlot.id == booking.slot_id)
                       .values(booked=DarshanSlot.booked - booking.party_size))
    publish(Event(name="temples.booking_cancelled", payload={"code": booking.code}, entity="booking",
                  entity_id=booking.code, action="cancel", changes={"status": ["confirmed", "cancelled"]}))
    return booking


def ticket_token(booking: Booking) -> str:
    """The signed token the QR code carries (never a bare id)."""
    return sign_token(TOKEN_PURPOSE, {"code": booking.code})


@transactional
def check_in(*, token: str) -> Booking:
    """Admit a booking at the gate from its scanned token: valid once, on its own date."""
    code = read_token(TOKEN_PURPOSE, token).get("code", "")
    booking = db.session.scalar(select(Booking).where(Booking.code == code))
    if booking is None:
        raise NotFound("No booking for this ticket.")
    if booking.status == "cancelled":
        raise Conflict("This booking was cancelled.", error="booking_cancelled")
    tz = booking.slot.temple.timezone
    if to_local(booking.slot.starts_at, tz).date() != to_local(utcnow(), tz).date():
        raise Conflict(f"This ticket is for {to_local(booking.slot.starts_at, tz):%d %b %Y}.", error="wrong_date")
    now = utcnow()
    result = db.session.execute(update(Booking).where(Booking.id == booking.id, Booking.status == "confirmed")
                                .values(status="checked_in", checked_in_at=now))
    if result.rowcount != 1:
        raise Conflict("This ticket has already been used.", error="ticket_used")
    db.session.refresh(booking)
    publish(Event(name="temples.booking_checked_in", payload={"code": booking.code}, entity="booking",
                  entity_id=booking.code, action="check_in", changes={"status": ["confirmed", "checked_in"]}))
    return booking


def bookings_due_reminder(now: datetime, lead: timedelta) -> list[Booking]:
    """Confirmed, unreminded bookings whose slot starts within ``lead`` from now."""
    return list(db.session.scalars(select(Booking).join(DarshanSlot).where(
        Booking.status == "confirmed", Booking.reminded_at.is_(None),
        DarshanSlot.starts_at > now, DarshanSlot.starts_at <= now + lead)))
