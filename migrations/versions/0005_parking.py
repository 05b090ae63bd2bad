"""parking domain: lots, spots, reservations, report runs

Revision ID: 0005_parking
Revises: 0004_temples
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_parking"
down_revision = "0004_temples"
branch_labels = None
depends_on = None

ACTIVE_ONLY = sa.text("status = 'active'")


def upgrade():
    op.create_table(
        "parking_lots",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("address", sa.String(300), nullable=False),
        sa.Column("pin_code", sa.String(6), nullable=False),
        sa.Column("price_per_hour", sa.Numeric(10, 2), nullable=False),
        sa.Column("total_spots", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_parking_lots_deleted_at", "parking_lots", ["deleted_at"])
    op.create_table(
        "parking_spots",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("lot_id", sa.Integer(), sa.ForeignKey("parking_lots.id", ondelete="CASCADE",
                                                        name="fk_parking_spots_lot_id_parking_lots"), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.UniqueConstraint("lot_id", "number", name="uq_parking_spots_lot_id_number"),
    )
    op.create_index("ix_parking_spots_lot_id_status_number", "parking_spots", ["lot_id", "status", "number"])
    op.create_table(
        "parking_reservations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE",
                                                         name="fk_parking_reservations_user_id_users"), nullable=False),
        sa.Column("lot_id", sa.Integer(), sa.ForeignKey("parking_lots.id",
                                                        name="fk_parking_reservations_lot_id_parking_lots"),
                  nullable=False),
        sa.Column("spot_id", sa.Integer(), sa.ForeignKey("parking_spots.id", ondelete="SET NULL",
                                                         name="fk_parking_reservations_spot_id_parking_spots"),
                  nullable=True),
        sa.Column("spot_number", sa.Integer(), nullable=False),
        sa.Column("vehicle_number", sa.String(16), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("price_per_hour", sa.Numeric(10, 2), nullable=False),
        sa.Column("parked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cost", sa.Numeric(10, 2), nullable=True),
        sa.Column("idempotency_key", sa.String(100), nullable=True),
        sa.UniqueConstraint("user_id", "idempotency_key", name="uq_parking_reservations_user_id_idempotency_key"),
    )
    op.create_index("ix_parking_reservations_lot_id", "parking_reservations", ["lot_id"])
    op.create_index("ix_parking_reservations_status", "parking_reservations", ["status"])
    op.create_index("ix_parking_reservations_parked_at", "parking_reservations", ["parked_at"])
    op.create_index("ix_parking_reservations_left_at", "parking_reservations", ["left_at"])
    op.create_index("ix_parking_reservations_user_id_parked_at", "parking_reservations", ["user_id", "parked_at"])
    # One active reservation per spot and per user, enforced by the database (partial unique indexes).
    op.create_index("uq_parking_reservations_active_spot", "parking_reservations", ["spot_id"], unique=True,
                    sqlite_where=ACTIVE_ONLY, postgresql_where=ACTIVE_ONLY)
    op.create_index("uq_parking_reservations_active_user", "parking_reservations", ["user_id"], unique=True,
                    sqlite_where=ACTIVE_ONLY, postgresql_where=ACTIVE_ONLY)
    op.create_table(
        "parking_report_runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE",
                                                         name="fk_parking_report_runs_user_id_users"), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("kind", "period", "user_id", name="uq_parking_report_runs_kind_period_user"),
    )


def downgrade():
    op.drop_table("parking_report_runs")
    op.drop_table("parking_reservations")
    op.drop_table("parking_spots")
    op.drop_table("parking_lots")
