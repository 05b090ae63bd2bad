"""The visitors migration builds exactly the tables the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.extensions import db


def test_models_and_migration_agree():
    context = MigrationContext.configure(db.session.connection(), opts={"compare_type": True})
    diff = [d for d in compare_metadata(context, db.metadata) if "visitors" in repr(d)]
    assert diff == [], diff
