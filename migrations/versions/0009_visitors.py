"""visitors domain: people, visits, block list, cards, face templates, gallery revision, biometric log

Revision ID: 0009_visitors
Revises: 0008_safety
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_visitors"
down_revision = "0008_safety"
branch_labels = None
depends_on = None

ACTIVE_BLOCK = sa.text("lifted_at IS NULL")


def _user_fk(column: str, table: str, ondelete: str | None = "SET NULL", nullable: bool = True) -> sa.Column:
    return sa.Column(column, sa.Integer(), sa.ForeignKey("users.id", ondelete=ondelete,
                                                         name=f"fk_{table}_{column}_users"), nullable=nullable)


def _person_fk(column: str, table: str, ondelete: str, nullable: bool = False) -> sa.Column:
    return sa.Column(column, sa.Integer(), sa.ForeignKey("visitors_people.id", ondelete=ondelete,
                                                         name=f"fk_{table}_{column}_visitors_people"),
                     nullable=nullable)


def _people():
    op.create_table(
        "visitors_people",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("id_type", sa.String(20), nullable=True),
        sa.Column("id_hash", sa.String(64), nullable=True),
        sa.Column("id_last4", sa.String(4), nullable=True),
        _user_fk("user_id", "visitors_people"),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    op.create_index("ix_visitors_people_phone", "visitors_people", ["phone"])
    op.create_index("ix_visitors_people_user_id", "visitors_people", ["user_id"])
    op.create_index("uq_visitors_people_id_hash", "visitors_people", ["id_hash"], unique=True)


def _visits():
    op.create_table(
        "visitors_visits",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(16), nullable=False),
        _person_fk("person_id", "visitors_visits", "CASCADE"),
        _user_fk("host_id", "visitors_visits", ondelete=None, nullable=False),
        _user_fk("created_by_id", "visitors_visits"),
        sa.Column("purpose", sa.String(200), nullable=False),
        sa.Column("expected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("checked_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checked_out_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoke_reason", sa.String(200), nullable=True),
        sa.Column("overstay_reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("code", name="uq_visitors_visits_code"),
        sa.CheckConstraint("status IN ('expected', 'checked_in', 'checked_out', 'revoked')",
                           name="ck_visitors_visits_status"),
        sa.CheckConstraint("valid_until > valid_from", name="ck_visitors_visits_validity"),
    )
    op.create_index("ix_visitors_visits_person_id", "visitors_visits", ["person_id"])
    op.create_index("ix_visitors_visits_expected_at", "visitors_visits", ["expected_at"])
    op.create_index("ix_visitors_visits_checked_in_at", "visitors_visits", ["checked_in_at"])
    op.create_index("ix_visitors_visits_status_valid_until", "visitors_visits", ["status", "valid_until"])
    op.create_index("ix_visitors_visits_host_id_expected_at", "visitors_visits", ["host_id", "expected_at"])


def _blocks_and_cards():
    op.create_table(
        "visitors_blocks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("phone", sa.String(20), nullable=True),
        sa.Column("id_type", sa.String(20), nullable=True),
        sa.Column("id_hash", sa.String(64), nullable=True),
        sa.Column("id_last4", sa.String(4), nullable=True),
        sa.Column("name", sa.String(120), nullable=True),
        sa.Column("reason", sa.String(300), nullable=False),
        _user_fk("created_by_id", "visitors_blocks"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=True),
        _user_fk("lifted_by_id", "visitors_blocks"),
        sa.CheckConstraint("phone IS NOT NULL OR id_hash IS NOT NULL", name="ck_visitors_blocks_target"),
    )
    # One active entry per phone and per identity number, enforced by the database.
    op.create_index("uq_visitors_blocks_active_phone", "visitors_blocks", ["phone"], unique=True,
                    sqlite_where=ACTIVE_BLOCK, postgresql_where=ACTIVE_BLOCK)
    op.create_index("uq_visitors_blocks_active_id_hash", "visitors_blocks", ["id_hash"], unique=True,
                    sqlite_where=ACTIVE_BLOCK, postgresql_where=ACTIVE_BLOCK)
    op.create_table(
        "visitors_cards",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("number", sa.String(32), nullable=False),
        _person_fk("person_id", "visitors_cards", "CASCADE"),
        _user_fk("assigned_by_id", "visitors_cards"),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("number", name="uq_visitors_cards_number"),
    )
    op.create_index("ix_visitors_cards_person_id", "visitors_cards", ["person_id"])


def _biometrics():
    op.create_table(
        "visitors_face_templates",
        sa.Column("id", sa.Integer(), primary_key=True),
        _person_fk("person_id", "visitors_face_templates", "CASCADE"),
        sa.Column("embedding", sa.LargeBinary(512), nullable=False),
        sa.Column("model", sa.String(40), nullable=False),
        sa.Column("quality", sa.Float(), nullable=False),
        sa.Column("consent_at", sa.DateTime(timezone=True), nullable=False),
        _user_fk("consent_recorded_by_id", "visitors_face_templates"),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("person_id", name="uq_visitors_face_templates_person_id"),
    )
    gallery = op.create_table(
        "visitors_face_gallery",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("revision", sa.String(32), nullable=False),
    )
    op.bulk_insert(gallery, [{"id": 1, "revision": "initial"}])
    op.create_table(
        "visitors_biometric_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        _person_fk("person_id", "visitors_biometric_log", "SET NULL", nullable=True),
        _user_fk("actor_id", "visitors_biometric_log"),
        sa.Column("matched", sa.Boolean(), nullable=True),
        sa.Column("distance", sa.Float(), nullable=True),
        sa.Column("latency_ms", sa.Float(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('enrol', 'erase', 'verify', 'identify')", name="ck_visitors_biometric_log_kind"),
    )
    op.create_index("ix_visitors_biometric_log_kind_at", "visitors_biometric_log", ["kind", "at"])


def upgrade():
    _people()
    _visits()
    _blocks_and_cards()
    _biometrics()


def downgrade():
    for table in ("visitors_biometric_log", "visitors_face_gallery", "visitors_face_templates", "visitors_cards",
                  "visitors_blocks", "visitors_visits", "visitors_people"):
        op.drop_table(table)
