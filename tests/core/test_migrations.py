"""The Alembic migrations build exactly the schema the models describe (both databases)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.extensions import db


def test_models_and_migrations_agree():
    context = MigrationContext.configure(db.session.connection(), opts={"compare_type": False})
    diff = compare_metadata(context, db.metadata)
    assert diff == [], diff
