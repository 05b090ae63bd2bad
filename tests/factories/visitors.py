"""Visitors factories: people, visits in any state, block list entries, cards, face templates.

    visit = VisitFactory(status="checked_in")     # a visitor inside now, host a new user
    FaceTemplateFactory.create_batch(50)          # 50 enrolled people with random embeddings
"""

from __future__ import annotations

from datetime import timedelta

import factory
import numpy as np

from app.core.timeutil import utcnow
from app.visitors.faces.matching import to_bytes
from app.visitors.models import CHECKED_IN, CHECKED_OUT, EXPECTED, Block, Card, FaceTemplate, Person, Visit
from tests.factories import Base, UserFactory


class PersonFactory(Base):
    class Meta:
        model = Person

    name = factory.Faker("name", locale="en_IN")
    phone = factory.Sequence(lambda n: f"+9190{n:08d}")
    created_at = factory.LazyFunction(utcnow)


def _checked_in_at(visit):
    return visit.valid_from + timedelta(minutes=20) if visit.status in (CHECKED_IN, CHECKED_OUT) else None


class VisitFactory(Base):
    """A visit expected in an hour with an eight-hour pass; ``status=`` sets the times that go with it."""

    class Meta:
        model = Visit

    code = factory.Sequence(lambda n: f"VIS-F{n:05d}")
    person = factory.SubFactory(PersonFactory)
    host_id = factory.LazyFunction(lambda: UserFactory().id)
    purpose = "Site survey"
    expected_at = factory.LazyFunction(lambda: utcnow().replace(microsecond=0) + timedelta(hours=1))
    valid_from = factory.LazyAttribute(lambda o: o.expected_at - timedelta(minutes=30))
    valid_until = factory.LazyAttribute(lambda o: o.expected_at + timedelta(hours=8))
    status = EXPECTED
    checked_in_at = factory.LazyAttribute(_checked_in_at)
    checked_out_at = factory.LazyAttribute(lambda o: o.checked_in_at + timedelta(hours=2)
                                           if o.status == CHECKED_OUT else None)
    created_at = factory.LazyFunction(utcnow)


class BlockFactory(Base):
    class Meta:
        model = Block

    phone = factory.Sequence(lambda n: f"+9191{n:08d}")
    reason = "Trespassing"
    created_at = factory.LazyFunction(utcnow)


class CardFactory(Base):
    class Meta:
        model = Card

    number = factory.Sequence(lambda n: f"C0DE{n:04X}")
    person = factory.SubFactory(PersonFactory)
    assigned_at = factory.LazyFunction(utcnow)


def random_embedding(seed: int) -> bytes:
    """A 128-d vector on the scale of dlib's embeddings (norm ≈ 1)."""
    return to_bytes(np.random.default_rng(seed).normal(0.0, 0.09, 128))


class FaceTemplateFactory(Base):
    """An enrolled person with a random embedding (not a real face); the gallery revision moves as on enrolment."""

    class Meta:
        model = FaceTemplate

    person_id = factory.LazyFunction(lambda: PersonFactory().id)
    embedding = factory.Sequence(random_embedding)
    model = "dlib_resnet_v1"
    quality = 0.9
    consent_at = factory.LazyFunction(utcnow)
    enrolled_at = factory.LazyFunction(utcnow)

    @factory.post_generation
    def gallery(obj, _create, _extracted, **_kwargs):  # noqa: N805 - factory_boy hook
        from app.extensions import db
        from app.visitors.service.gallery import bump_revision

        bump_revision()
        db.session.commit()
