"""RFID cards (CR-1): a card number belongs to one person at a time and is looked up at the gate.

Numbers are kept as read by the reader (hex or decimal), upper-cased without separators; a
unique constraint makes a number impossible to hand to two people, even by two desks at once.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.core.errors import ValidationFailed
from app.core.events import transactional
from app.core.timeutil import utcnow
from app.extensions import db
from app.visitors import events
from app.visitors.errors import CardNotFound, CardTaken
from app.visitors.models import CHECKED_IN, EXPECTED, Card, FaceTemplate, Visit
from app.visitors.service.blocklist import block_for
from app.visitors.service.people import get_person
from app.visitors.service.views import person_view, visit_views

_SEPARATORS = re.compile(r"[\s:\-]")
_CARD = re.compile(r"^[0-9A-F]{4,32}$")


def normalise_card(raw: str) -> str:
    """Upper-case hex/decimal digits without spaces, colons or dashes; 422 otherwise."""
    number = _SEPARATORS.sub("", (raw or "").upper())
    if not _CARD.match(number):
        raise ValidationFailed({"number": ["A card number is 4 to 32 hex digits (0-9, A-F)."]})
    return number


def _card(number: str) -> Card | None:
    return db.session.scalar(select(Card).where(Card.number == number))


@transactional
def assign_card(*, number: str, person_id: int, actor_id: int | None = None) -> Card:
    """Give a card to a person (again to the same person is fine); 409 card_taken when someone else holds it."""
    number = normalise_card(number)
    person = get_person(person_id)
    held = _card(number)
    if held is not None:
        if held.person_id != person.id:
            raise CardTaken()
        return held
    card = Card(number=number, person_id=person.id, assigned_by_id=actor_id, assigned_at=utcnow())
    db.session.add(card)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:  # another desk assigned this number a moment ago
        raise CardTaken() from exc
    events.card_assigned(card)
    return card


@transactional
def release_card(*, number: str) -> None:
    """Take a card back (returned at the gate); its number can then be given to someone else."""
    card = _card(normalise_card(number))
    if card is None:
        raise CardNotFound()
    person_id = card.person_id
    db.session.delete(card)
    db.session.flush()
    events.card_released(card.number, person_id)


def has_face(person_id: int) -> bool:
    """True when the person has a face template (enrolled with consent)."""
    return db.session.scalar(select(FaceTemplate.id).where(FaceTemplate.person_id == person_id)) is not None


def lookup_card(*, number: str) -> dict:
    """Who holds this card, whether they are blocked or enrolled, and their visits on site or still expected."""
    card = _card(normalise_card(number))
    if card is None:
        raise CardNotFound()
    visits = db.session.scalars(select(Visit).where(Visit.person_id == card.person_id,
                                                    Visit.status.in_((CHECKED_IN, EXPECTED)))
                                .order_by(Visit.status == EXPECTED, Visit.expected_at)).all()
    return {"number": card.number, "assigned_at": card.assigned_at, "person": person_view(card.person),
            "blocked": block_for(card.person) is not None, "face_enrolled": has_face(card.person_id),
            "visits": visit_views(list(visits))}
