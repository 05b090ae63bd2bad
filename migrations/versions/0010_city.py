"""city domain

Revision ID: 0010_city
Revises: 0009_visitors
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0010_city"
down_revision = "0009_visitors"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
