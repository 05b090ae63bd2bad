"""hardening: token validity, outbox, constraints

Revision ID: 0007_hardening
Revises: 0006_template
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0007_hardening"
down_revision = "0006_template"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
