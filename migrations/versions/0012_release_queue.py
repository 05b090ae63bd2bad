"""temples: quota releases with a virtual queue

Revision ID: 0012_release_queue
Revises: 0011_signs
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0012_release_queue"
down_revision = "0011_signs"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
