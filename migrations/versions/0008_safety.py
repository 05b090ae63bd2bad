"""safety domain

Revision ID: 0008_safety
Revises: 0007_hardening
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0008_safety"
down_revision = "0007_hardening"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
