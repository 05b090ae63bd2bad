"""Demo visitors for the reception screen: today's expected guests, one inside, one gone, a block and a card.

Idempotent: nothing is added when the demo people already exist. Hosts are the demo accounts of
``app.auth.seed`` (run first); without them the seeder does nothing.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.auth import service as auth_service
from app.core.timeutil import utcnow
from app.extensions import db
from app.visitors import service
from app.visitors.models import Person

DEMO_DOMAIN = "demo.sangam.local"
GUESTS = (
    # name, phone, purpose, hours from now, what happens
    ("Ravi Shah (Shah Builders)", "+91 98250 11001", "Annadan hall roof repair: site survey", -1.5, "left"),
    ("Dr. Meena Pandya", "+91 98250 11002", "Trust audit: quarterly accounts", -0.5, "inside"),
    ("Kiran Solanki (volunteer)", "+91 98250 11003", "Festival volunteer briefing", 1, "expected"),
    ("Shri A. K. Mehta, Collector", "+91 98250 11004", "Shivratri crowd plan review", 2, "expected"),
    ("Farida Sheikh (Sheikh Caterers)", "+91 98250 11005", "Prasad kitchen tasting", 3, "expected"),
)
BLOCKED = ("+91 98250 19999", "Repeatedly entered the treasury corridor without an escort")
CARD = "04A2241B"


def _staff(role: str):
    return auth_service.find_user_by_email(f"{role.replace('_', '.')}@{DEMO_DOMAIN}")


def _guest(desk, host, name: str, phone: str, purpose: str, hours: float, outcome: str) -> None:
    view = service.invite_visitor(actor=desk, visitor={"name": name, "phone": phone}, host_id=host.id,
                                  purpose=purpose, expected_at=utcnow() + timedelta(hours=hours), valid_hours=8)
    if outcome in ("inside", "left"):
        service.check_in(code=view["code"])
    if outcome == "left":
        service.check_out(code=view["code"])
    if outcome == "inside":
        service.assign_card(number=CARD, person_id=view["visitor"]["person_id"], actor_id=desk.id)


def seed_demo() -> None:
    """Add the demo guests, the block list entry and the card once."""
    desk, host = _staff("reception"), _staff("user")
    if desk is None or host is None:
        return
    phones = [g[1].replace(" ", "") for g in GUESTS]
    if db.session.scalar(select(Person.id).where(Person.phone.in_(phones))) is not None:
        return
    for guest in GUESTS:
        _guest(desk, host, *guest)
    service.block_person(actor_id=desk.id, reason=BLOCKED[1], phone=BLOCKED[0], name="Unescorted visitor")
