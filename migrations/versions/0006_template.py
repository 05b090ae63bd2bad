"""domain template: one idempotency mechanism, outbox columns, state constraints, lot positions, alert authors

- ``idempotency_keys`` replaces the per-domain ``idempotency_key`` columns of bookings and reservations;
- notifications and export jobs record when they were last sent to the broker (the outbox sweeper);
- ``darshan_slots`` gets ``CHECK (booked >= 0 AND booked <= capacity)``;
- parking lots get a position, reservations the billed hours; alerts the label of who raised them.

Revision ID: 0006_template
Revises: 0005_parking
"""

import math

import sqlalchemy as sa
from alembic import op

revision = "0006_template"
down_revision = "0005_parking"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "idempotency_keys",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("scope", sa.String(80), nullable=False),
        sa.Column("key", sa.String(80), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("scope", "key", name="uq_idempotency_keys_scope_key"),
    )
    op.create_index("ix_idempotency_keys_created_at", "idempotency_keys", ["created_at"])
    with op.batch_alter_table("bookings") as batch:
        batch.drop_constraint("uq_bookings_user_id_idempotency_key", type_="unique")
        batch.drop_column("idempotency_key")
    with op.batch_alter_table("parking_reservations") as batch:
        batch.drop_constraint("uq_parking_reservations_user_id_idempotency_key", type_="unique")
        batch.drop_column("idempotency_key")
        batch.add_column(sa.Column("hours", sa.Integer(), nullable=True))
    _backfill_hours()
    with op.batch_alter_table("parking_lots") as batch:
        batch.add_column(sa.Column("lat", sa.Float(), nullable=True))
        batch.add_column(sa.Column("lng", sa.Float(), nullable=True))
    with op.batch_alter_table("darshan_slots") as batch:
        batch.create_check_constraint(op.f("ck_darshan_slots_booked_within_capacity"), "booked >= 0 AND booked <= capacity")
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("enqueued_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_notifications_enqueued_at", ["enqueued_at"])
    with op.batch_alter_table("export_jobs") as batch:
        batch.add_column(sa.Column("enqueued_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.create_index("ix_export_jobs_enqueued_at", ["enqueued_at"])
    with op.batch_alter_table("alerts") as batch:
        batch.add_column(sa.Column("created_by_label", sa.String(254), nullable=True))


def _backfill_hours():
    """Released reservations get the started hours they were billed (at least one)."""
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, parked_at, left_at FROM parking_reservations WHERE left_at IS NOT NULL"))
    for row_id, parked, left in rows.fetchall():
        if isinstance(parked, str):  # SQLite hands back text
            from datetime import datetime
            parked, left = datetime.fromisoformat(parked), datetime.fromisoformat(left)
        hours = max(1, math.ceil((left - parked).total_seconds() / 3600))
        bind.execute(sa.text("UPDATE parking_reservations SET hours = :h WHERE id = :id"), {"h": hours, "id": row_id})


def downgrade():
    with op.batch_alter_table("alerts") as batch:
        batch.drop_column("created_by_label")
    with op.batch_alter_table("export_jobs") as batch:
        batch.drop_index("ix_export_jobs_enqueued_at")
        batch.drop_column("attempts")
        batch.drop_column("enqueued_at")
    with op.batch_alter_table("notifications") as batch:
        batch.drop_index("ix_notifications_enqueued_at")
        batch.drop_column("enqueued_at")
    with op.batch_alter_table("darshan_slots") as batch:
        batch.drop_constraint("ck_darshan_slots_booked_within_capacity", type_="check")
    with op.batch_alter_table("parking_lots") as batch:
        batch.drop_column("lng")
        batch.drop_column("lat")
    with op.batch_alter_table("parking_reservations") as batch:
        batch.drop_column("hours")
        batch.add_column(sa.Column("idempotency_key", sa.String(100), nullable=True))
        batch.create_unique_constraint("uq_parking_reservations_user_id_idempotency_key", ["user_id", "idempotency_key"])
    with op.batch_alter_table("bookings") as batch:
        batch.add_column(sa.Column("idempotency_key", sa.String(80), nullable=True))
        batch.create_unique_constraint("uq_bookings_user_id_idempotency_key", ["user_id", "idempotency_key"])
    op.drop_index("ix_idempotency_keys_created_at", "idempotency_keys")
    op.drop_table("idempotency_keys")
