"""The block list (CR-2): reception or an admin refuses passes and check-in for a person, with a reason.

An entry names a phone, an identity number, or both (taken from a recorded person or typed in);
it matches every person with that phone or number. Partial unique indexes allow one *active*
entry per phone and per number; lifting an entry keeps it for the record.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from app.core.errors import ValidationFailed
from app.core.events import transactional
from app.core.timeutil import utcnow
from app.extensions import db
from app.visitors import events
from app.visitors.errors import AlreadyBlocked, BlockNotFound
from app.visitors.models import Block, Person
from app.visitors.service.people import get_person, id_hash, normalise_id_number, normalise_phone


def _target(person_id, phone, id_number) -> tuple[str | None, str | None, str | None, str | None]:
    """(phone, id hash, last four, name) that an entry or a lift names; 422 when it names nothing."""
    if person_id is not None:
        person = get_person(person_id)
        return person.phone, person.id_hash, person.id_last4, person.name
    if not phone and not id_number:
        raise ValidationFailed({"phone": ["Give a phone, an id_number or a person_id."]})
    number = normalise_id_number(id_number) if id_number else None
    return (normalise_phone(phone) if phone else None, id_hash(number) if number else None,
            number[-4:] if number else None, None)


def _active_matching(phone: str | None, hashed: str | None):
    clauses = [c for c in (Block.phone == phone if phone else None, Block.id_hash == hashed if hashed else None)
               if c is not None]
    return select(Block).where(Block.lifted_at.is_(None), or_(*clauses)).order_by(Block.id)


def block_for(person: Person) -> Block | None:
    """The active entry that matches this person's phone or identity number, if any."""
    return db.session.scalar(_active_matching(person.phone, person.id_hash))


@transactional
def block_person(*, actor_id: int | None, reason: str, person_id: int | None = None, phone: str | None = None,
                 id_type: str | None = None, id_number: str | None = None, name: str | None = None) -> Block:
    """Put a person on the block list; 409 already_blocked when an active entry names them."""
    phone, hashed, last4, known_name = _target(person_id, phone, id_number)
    if db.session.scalar(_active_matching(phone, hashed)) is not None:
        raise AlreadyBlocked()
    block = Block(phone=phone, id_type=id_type if hashed else None, id_hash=hashed, id_last4=last4,
                  name=(name or known_name or "").strip() or None, reason=reason.strip(), created_by_id=actor_id,
                  created_at=utcnow())
    db.session.add(block)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:  # a concurrent entry for the same phone or number won
        raise AlreadyBlocked() from exc
    events.block_added(block)
    return block


def _lift(block: Block, actor_id: int | None) -> None:
    block.lifted_at, block.lifted_by_id = utcnow(), actor_id
    events.block_lifted(block)


@transactional
def lift_block(*, actor_id: int | None, block_id: int | None = None, person_id: int | None = None,
               phone: str | None = None, id_number: str | None = None) -> list[Block]:
    """Lift the active entries naming this entry id, person, phone or number; 404 when none does."""
    if block_id is not None:
        found = db.session.scalars(select(Block).where(Block.id == block_id, Block.lifted_at.is_(None))).all()
    else:
        target_phone, hashed, _last4, _name = _target(person_id, phone, id_number)
        found = db.session.scalars(_active_matching(target_phone, hashed)).all()
    if not found:
        raise BlockNotFound()
    for block in found:
        _lift(block, actor_id)
    db.session.flush()
    return list(found)


def active_blocks():
    """A select of the active entries, newest first (paginated by the API)."""
    return select(Block).where(Block.lifted_at.is_(None)).order_by(Block.created_at.desc(), Block.id.desc())
