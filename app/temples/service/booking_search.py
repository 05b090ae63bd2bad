"""Operators find bookings at the gate or the help desk (PW-5, PW-6): by code, the booker's phone or name, date.

Phone numbers are typed every which way (``+91 98000-00001``, ``9800000001``): they match on their last ten
digits, as the release queue tells people apart. The booker's account belongs to the auth domain, read through
its service (a select of users), never its models.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.orm import joinedload

from app.auth import service as auth_service
from app.core.errors import ValidationFailed
from app.core.timeutil import local_to_utc
from app.extensions import db
from app.temples.models import Booking, DarshanSlot
from app.temples.service.queue_tickets import phone_key
from app.temples.service.temples import get_temple

PHONE_PUNCTUATION = (" ", "-", "+", "(", ")", ".")


def search_bookings(*, code: str | None = None, phone: str | None = None, name: str | None = None,
                    day: date | None = None, temple_slug: str | None = None):
    """Bookings matching every criterion given, slot time first, then newest (a select for pagination)."""
    if not any((code, phone, name, day, temple_slug)):
        raise ValidationFailed({"_query": ["Give a code, phone, name, date or temple to search for."]})
    stmt = (select(Booking).join(DarshanSlot, Booking.slot_id == DarshanSlot.id)
            .options(joinedload(Booking.slot).joinedload(DarshanSlot.temple))
            .order_by(DarshanSlot.starts_at, Booking.created_at.desc(), Booking.id.desc()))
    if code:
        stmt = stmt.where(Booking.code.like(f"{_literal(code.strip().upper())}%", escape="\\"))
    if phone:
        stmt = stmt.where(Booking.user_id.in_(_users_with_phone(phone)))
    if name:
        like = f"%{_literal(name.strip().lower())}%"
        stmt = stmt.where(or_(Booking.user_id.in_(_users_named(like)),
                              func.lower(cast(Booking.visitors, String)).like(like, escape="\\")))
    temple = get_temple(slug=temple_slug) if temple_slug else None
    if temple:
        stmt = stmt.where(DarshanSlot.temple_id == temple.id)
    if day:  # the temple's local day (the city's when no temple is named)
        start = local_to_utc(day, time(0), temple.timezone if temple else None)
        stmt = stmt.where(DarshanSlot.starts_at >= start, DarshanSlot.starts_at < start + timedelta(days=1))
    return stmt


def _literal(text: str) -> str:
    """``text`` for a LIKE pattern, its wildcards taken literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _users():
    return auth_service.list_users().subquery()


def _users_with_phone(phone: str):
    key = phone_key(phone)
    if key is None:
        raise ValidationFailed({"phone": ["Give at least six digits of the phone number."]})
    users = _users()
    digits = users.c.phone
    for mark in PHONE_PUNCTUATION:
        digits = func.replace(digits, mark, "")
    return select(users.c.id).where(digits.like(f"%{key}"))


def _users_named(like: str):
    users = _users()
    return select(users.c.id).where(func.lower(users.c.full_name).like(like, escape="\\"))


def bookers(bookings: list[Booking]) -> list[Booking]:
    """Give each booking its booker (``booking.booker``: id, full_name, phone), read in one query."""
    users = _users()
    ids = {b.user_id for b in bookings}
    rows = db.session.execute(select(users.c.id, users.c.full_name, users.c.phone).where(users.c.id.in_(ids))) \
        if ids else []
    people = {row.id: {"id": row.id, "full_name": row.full_name, "phone": row.phone} for row in rows}
    for booking in bookings:
        booking.booker = people.get(booking.user_id)
    return bookings
