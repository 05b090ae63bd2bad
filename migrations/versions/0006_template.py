"""domain template: idempotency keys, parking lot positions

Revision ID: 0006_template
Revises: 0005_parking
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0006_template"
down_revision = "0005_parking"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
