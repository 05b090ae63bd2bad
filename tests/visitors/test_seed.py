"""Demo data for the reception screen is there after seeding, and seeding twice adds nothing."""

from app.auth import seed as auth_seed
from app.extensions import db
from app.visitors import seed, service
from app.visitors.models import Block, Card, Visit


def test_demo_visitors_are_seeded_once():
    auth_seed.seed_demo()
    seed.seed_demo()
    seed.seed_demo()
    statuses = sorted(db.session.scalars(db.select(Visit.status)))
    assert statuses == ["checked_in", "checked_out", "expected", "expected", "expected"]
    assert [v["visitor"]["name"] for v in service.on_site()] == ["Dr. Meena Pandya"]
    assert db.session.scalar(db.select(db.func.count()).select_from(Block)) == 1
    assert service.lookup_card(number=seed.CARD)["person"]["name"] == "Dr. Meena Pandya"
    assert db.session.scalar(db.select(db.func.count()).select_from(Card)) == 1


def test_without_demo_staff_nothing_is_seeded():
    seed.seed_demo()
    assert db.session.scalar(db.select(db.func.count()).select_from(Visit)) == 0
