"""Factories (factory_boy) that make rows for tests in the domain's words.

``tests/factories/__init__.py`` holds the shared base and the platform's factories (users, devices);
each domain adds ``tests/factories/<domain>.py``. Rows land in the test's transaction
(rolled back afterwards).

    user = UserFactory(role="operator")          # password: tests.conftest.PASSWORD
    slot = SlotFactory(capacity=10)              # a temple, zones and an open slot in two hours
"""

from __future__ import annotations

import factory
from factory.alchemy import SQLAlchemyModelFactory

from app.auth.models import User
from app.extensions import db

PASSWORD = "Correct-h0rse-battery"


class Base(SQLAlchemyModelFactory):
    """Rows are committed into the test's outer transaction (rolled back at the end): ids and constraints are real."""

    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731 - resolved per test
        sqlalchemy_session_persistence = "commit"


def _password_hash(_obj) -> str:
    from app.auth.passwords import hash_password

    return hash_password(PASSWORD)


class UserFactory(Base):
    """An active account (role ``user`` unless told otherwise) whose password is ``PASSWORD``."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@test.sangam.in")
    full_name = factory.Faker("name", locale="en_IN")
    phone = "+919800000000"
    role = "user"
    is_active = True
    reminders = True
    password_hash = factory.LazyAttribute(_password_hash)
