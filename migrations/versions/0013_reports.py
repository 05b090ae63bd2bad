"""reports: custom reports, dashboard layouts, schedules of any report

Revision ID: 0013_reports
Revises: 0012_release_queue
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_reports"
down_revision = "0012_release_queue"
branch_labels = None
depends_on = None


def upgrade():
    # A custom report is an export job of kind "report" with a title and a spec (group_by, metrics, period).
    with op.batch_alter_table("export_jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=10), nullable=False, server_default="export"))
        batch_op.add_column(sa.Column("title", sa.String(length=160), nullable=True))
        batch_op.add_column(sa.Column("spec", sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f("ix_export_jobs_kind"), ["kind"], unique=False)

    # A schedule sends a dataset, a custom report spec or the comprehensive report; period_key is the
    # cron time last claimed (YYYYMMDDHHMM, city time), so each period is sent exactly once.
    with op.batch_alter_table("report_schedules", schema=None) as batch_op:
        batch_op.add_column(sa.Column("spec", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("period_key", sa.String(length=12), nullable=True))

    op.create_table(
        "dashboard_layouts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=20), nullable=False),
        sa.Column("widgets", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_dashboard_layouts_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_layouts")),
        sa.UniqueConstraint("user_id", "slug", name="uq_dashboard_layouts_user_id_slug"),
    )


def downgrade():
    op.drop_table("dashboard_layouts")
    with op.batch_alter_table("report_schedules", schema=None) as batch_op:
        batch_op.drop_column("period_key")
        batch_op.drop_column("spec")
    with op.batch_alter_table("export_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_export_jobs_kind"))
        batch_op.drop_column("spec")
        batch_op.drop_column("title")
        batch_op.drop_column("kind")
