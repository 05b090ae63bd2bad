"""reports: custom reports, dashboard layouts, schedules of any report

Revision ID: 0013_reports
Revises: 0012_release_queue
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0013_reports"
down_revision = "0012_release_queue"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
