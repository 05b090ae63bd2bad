"""visitors domain

Revision ID: 0009_visitors
Revises: 0008_safety
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0009_visitors"
down_revision = "0008_safety"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
