"""festival signs domain

Revision ID: 0011_signs
Revises: 0010_city
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0011_signs"
down_revision = "0010_city"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
