"""platform services (export jobs, report schedules)

Revision ID: 0003_platform
Revises: 0002_alerts
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_platform"
down_revision = "0002_alerts"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "export_jobs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("owner_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE",
                                                          name="fk_export_jobs_owner_id_users"), nullable=False),
        sa.Column("dataset", sa.String(40), nullable=False),
        sa.Column("format", sa.String(5), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=True),
        sa.Column("file_name", sa.String(160), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_export_jobs_owner_id", "export_jobs", ["owner_id"])
    op.create_index("ix_export_jobs_status", "export_jobs", ["status"])
    op.create_index("ix_export_jobs_expires_at", "export_jobs", ["expires_at"])
    op.create_table(
        "report_schedules",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("format", sa.String(5), nullable=False),
        sa.Column("cron", sa.String(100), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_run_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade():
    op.drop_table("report_schedules")
    op.drop_table("export_jobs")
