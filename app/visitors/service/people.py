"""People who visit: found again by identity number or phone, so history, blocks, cards and faces follow them.

Phone numbers are kept in one form (``+91`` and ten digits for Indian mobiles, else ``+`` and the
digits given). Identity numbers (Aadhaar, passport, …) are never stored in clear: a keyed HMAC
matches them against the block list and the last four characters let staff recognise them.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from flask import current_app
from sqlalchemy import func, or_, select

from app.auth import service as auth_service
from app.core.errors import ValidationFailed
from app.core.events import transactional
from app.core.timeutil import utcnow
from app.extensions import db
from app.visitors import events
from app.visitors.errors import PersonNotFound
from app.visitors.models import Person

_NOT_DIGITS = re.compile(r"[^0-9]")
_NOT_ID = re.compile(r"[^0-9A-Z]")


def normalise_phone(raw: str, field: str = "phone") -> str:
    """Return the phone number as ``+<country><number>``; 422 when it cannot be one."""
    text = (raw or "").strip()
    digits = _NOT_DIGITS.sub("", text)
    if len(digits) == 10 and digits[0] in "6789" and not text.startswith("+"):
        digits = "91" + digits
    elif len(digits) == 11 and digits.startswith("0"):
        digits = "91" + digits[1:]
    if not 8 <= len(digits) <= 15:
        raise ValidationFailed({field: ["Give a phone number with its country code, e.g. +91 98765 43210."]})
    return "+" + digits


def normalise_id_number(raw: str, field: str = "id_number") -> str:
    """Upper-case letters and digits only (spaces and dashes as printed on cards are dropped)."""
    value = _NOT_ID.sub("", (raw or "").upper())
    if not 4 <= len(value) <= 32:
        raise ValidationFailed({field: ["Give the identity number as printed (4 to 32 letters or digits)."]})
    return value


def id_hash(number: str) -> str:
    """Keyed hash of a normalised identity number (VISITOR_ID_KEY, else SECRET_KEY)."""
    key = current_app.config.get("VISITOR_ID_KEY") or current_app.config["SECRET_KEY"]
    return hmac.new(key.encode(), f"sangam.visitors.id:{number}".encode(), hashlib.sha256).hexdigest()


def get_person(person_id: int) -> Person:
    """Return a person or raise 404."""
    person = db.session.get(Person, person_id)
    if person is None:
        raise PersonNotFound()
    return person


def _find(name: str, phone: str, hashed: str | None) -> Person | None:
    """The person with this identity number; else the one with this phone and name (and no number yet).

    A phone alone is not an identity (families share one), so a new name on a known phone is a new person.
    """
    if hashed:
        found = db.session.scalar(select(Person).where(Person.id_hash == hashed))
        if found is not None:
            return found
    same = select(Person).where(Person.phone == phone, func.lower(Person.name) == name.lower())
    if hashed:
        same = same.where(Person.id_hash.is_(None))
    return db.session.scalar(same.order_by(Person.id))


def _linked_user_id(email: str | None) -> int | None:
    """The Sangam account with this e-mail, so that person may withdraw their own face consent."""
    user = auth_service.find_user_by_email(email) if email else None
    return user.id if user else None


@transactional
def record_person(*, name: str, phone: str, email: str | None = None, id_type: str | None = None,
                  id_number: str | None = None) -> Person:
    """Find the person by identity number or phone (updating their details) or add them."""
    phone = normalise_phone(phone)
    number = normalise_id_number(id_number) if id_number else None
    hashed = id_hash(number) if number else None
    email = email.strip().lower() if email else None
    name = " ".join(name.split())
    person = _find(name, phone, hashed)
    if person is None:
        person = Person(name=name, phone=phone, created_at=utcnow())
        db.session.add(person)
    person.name, person.phone, person.email = name, phone, email or person.email
    if number:
        person.id_type, person.id_hash, person.id_last4 = id_type or person.id_type or "other", hashed, number[-4:]
    person.user_id = person.user_id or _linked_user_id(person.email)
    db.session.flush()
    events.person_recorded(person)
    return person


def search_people(*, q: str | None = None, phone: str | None = None):
    """A select of people by name part or phone, by name (paginated by the API)."""
    stmt = select(Person).order_by(Person.name, Person.id)
    if phone:
        stmt = stmt.where(Person.phone == normalise_phone(phone))
    if q:
        pattern = f"%{q.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(Person.name).like(pattern), Person.phone.like(pattern)))
    return stmt
