"""temples: quota releases with a virtual queue

Revision ID: 0012_release_queue
Revises: 0011_signs
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_release_queue"
down_revision = "0011_signs"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "darshan_releases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("temple_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("queued", sa.Boolean(), nullable=False),
        sa.Column("per_person_limit", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('scheduled', 'open', 'sold_out', 'closed')",
                           name=op.f("ck_darshan_releases_release_status")),
        sa.CheckConstraint("per_person_limit BETWEEN 1 AND 10", name=op.f("ck_darshan_releases_release_limit")),
        sa.ForeignKeyConstraint(["temple_id"], ["temples.id"], name=op.f("fk_darshan_releases_temple_id_temples"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_darshan_releases")),
    )
    with op.batch_alter_table("darshan_releases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_darshan_releases_temple_id"), ["temple_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_darshan_releases_status"), ["status"], unique=False)

    with op.batch_alter_table("darshan_slots", schema=None) as batch_op:
        batch_op.add_column(sa.Column("release_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("held", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_foreign_key(batch_op.f("fk_darshan_slots_release_id_darshan_releases"), "darshan_releases",
                                    ["release_id"], ["id"], ondelete="SET NULL")
        batch_op.create_index(batch_op.f("ix_darshan_slots_release_id"), ["release_id"], unique=False)

    op.create_table(
        "release_admissions",
        sa.Column("ticket", sa.String(length=32), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("phone_key", sa.String(length=20), nullable=True),
        sa.Column("slot_id", sa.Integer(), nullable=False),
        sa.Column("party_size", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=24), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("enqueued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["booking_id"], ["bookings.id"],
                                name=op.f("fk_release_admissions_booking_id_bookings"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["release_id"], ["darshan_releases.id"],
                                name=op.f("fk_release_admissions_release_id_darshan_releases"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["slot_id"], ["darshan_slots.id"],
                                name=op.f("fk_release_admissions_slot_id_darshan_slots"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_release_admissions_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("ticket", name=op.f("pk_release_admissions")),
    )
    with op.batch_alter_table("release_admissions", schema=None) as batch_op:
        batch_op.create_index("ix_release_admissions_release_user", ["release_id", "user_id"], unique=False)
        batch_op.create_index("ix_release_admissions_release_phone", ["release_id", "phone_key"], unique=False)


def downgrade():
    with op.batch_alter_table("release_admissions", schema=None) as batch_op:
        batch_op.drop_index("ix_release_admissions_release_phone")
        batch_op.drop_index("ix_release_admissions_release_user")
    op.drop_table("release_admissions")
    with op.batch_alter_table("darshan_slots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_darshan_slots_release_id"))
        batch_op.drop_constraint(batch_op.f("fk_darshan_slots_release_id_darshan_releases"), type_="foreignkey")
        batch_op.drop_column("held")
        batch_op.drop_column("release_id")
    with op.batch_alter_table("darshan_releases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_darshan_releases_status"))
        batch_op.drop_index(batch_op.f("ix_darshan_releases_temple_id"))
    op.drop_table("darshan_releases")
