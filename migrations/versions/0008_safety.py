"""safety domain: incidents, timeline, units, dispatches, broadcasts, procedures, inspections,
corrective actions, trainings, hazards

Revision ID: 0008_safety
Revises: 0007_hardening
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_safety"
down_revision = "0007_hardening"
branch_labels = None
depends_on = None

ACTIVE_DISPATCH = sa.text("released_at IS NULL")
TZ = sa.DateTime(timezone=True)


def _fk(column: str, table: str, target: str, ondelete: str, nullable: bool = True) -> sa.Column:
    name = f"fk_{table}_{column}_{target.split('.')[0]}"
    return sa.Column(column, sa.Integer(), sa.ForeignKey(target, ondelete=ondelete, name=name), nullable=nullable)


def _one_of(column: str, values: tuple[str, ...], table: str, name: str) -> sa.CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({listed})", name=op.f(f"ck_{table}_{name}"))


def _incidents() -> None:
    t = "safety_incidents"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("source_ref", sa.String(120), nullable=True),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("severity", sa.String(10), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lng", sa.Float(), nullable=True),
        sa.Column("temple_id", sa.Integer(), nullable=True),
        sa.Column("temple", sa.String(64), nullable=True),
        sa.Column("zone", sa.String(64), nullable=True),
        sa.Column("location_text", sa.String(200), nullable=True),
        _fk("reported_by_id", t, "users.id", "SET NULL"),
        sa.Column("reported_by_name", sa.String(120), nullable=True),
        sa.Column("reported_at", TZ, nullable=False),
        sa.Column("acknowledged_at", TZ, nullable=True),
        sa.Column("started_at", TZ, nullable=True),
        sa.Column("resolved_at", TZ, nullable=True),
        sa.Column("first_dispatched_at", TZ, nullable=True),
        sa.Column("first_arrived_at", TZ, nullable=True),
        sa.Column("escalated_at", TZ, nullable=True),
        _fk("primary_id", t, "safety_incidents.id", "SET NULL"),
        sa.UniqueConstraint("code", name="uq_safety_incidents_code"),
        _one_of("status", ("reported", "acknowledged", "in_progress", "resolved"), t, "status"),
        _one_of("severity", ("low", "medium", "high", "critical"), t, "severity"),
        sa.CheckConstraint("lat IS NULL OR (lat BETWEEN -90 AND 90)", name=op.f("ck_safety_incidents_lat")),
        sa.CheckConstraint("lng IS NULL OR (lng BETWEEN -180 AND 180)", name=op.f("ck_safety_incidents_lng")),
    )
    for cols in (["source_ref"], ["type"], ["reported_by_id"], ["reported_at"], ["primary_id"]):
        op.create_index(f"ix_{t}_{cols[0]}", t, cols)
    op.create_index("ix_safety_incidents_status_reported_at", t, ["status", "reported_at"])
    op.create_index("ix_safety_incidents_temple_id_reported_at", t, ["temple_id", "reported_at"])
    s = "safety_incident_steps"
    op.create_table(
        s,
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("incident_id", s, "safety_incidents.id", "CASCADE", nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("by_kind", sa.String(12), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("by_name", sa.String(120), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
    )
    op.create_index("ix_safety_incident_steps_incident_id_at", s, ["incident_id", "at"])


def _units() -> None:
    t = "safety_units"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lng", sa.Float(), nullable=False),
        sa.Column("position_at", TZ, nullable=True),
        sa.Column("temple_id", sa.Integer(), nullable=True),
        _fk("device_id", t, "devices.id", "SET NULL"),
        sa.Column("status_changed_at", TZ, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.UniqueConstraint("name", name="uq_safety_units_name"),
        _one_of("kind", ("ambulance", "fire", "police", "medical_team"), t, "kind"),
        _one_of("status", ("available", "dispatched", "on_scene", "returning", "out_of_service"), t, "status"),
    )
    op.create_index("ix_safety_units_device_id", t, ["device_id"])
    op.create_index("ix_safety_units_status_kind", t, ["status", "kind"])
    p = "safety_unit_positions"
    op.create_table(
        p,
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("unit_id", p, "safety_units.id", "CASCADE", nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lng", sa.Float(), nullable=False),
        sa.Column("at", TZ, nullable=False),
    )
    op.create_index("ix_safety_unit_positions_unit_id_at", p, ["unit_id", "at"])
    d = "safety_dispatches"
    op.create_table(
        d,
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("incident_id", d, "safety_incidents.id", "CASCADE", nullable=False),
        _fk("unit_id", d, "safety_units.id", "CASCADE", nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=True),
        sa.Column("dispatched_at", TZ, nullable=False),
        sa.Column("dispatched_by_id", sa.Integer(), nullable=True),
        sa.Column("arrived_at", TZ, nullable=True),
        sa.Column("released_at", TZ, nullable=True),
    )
    op.create_index("ix_safety_dispatches_incident_id", d, ["incident_id"])
    # One active dispatch per unit, enforced by the database (partial unique index).
    op.create_index("uq_safety_dispatches_active_unit", d, ["unit_id"], unique=True,
                    sqlite_where=ACTIVE_DISPATCH, postgresql_where=ACTIVE_DISPATCH)


def _broadcasts_and_procedures() -> None:
    op.create_table(
        "safety_broadcasts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("severity", sa.String(10), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("scope", sa.String(10), nullable=False),
        sa.Column("temple_id", sa.Integer(), nullable=True),
        sa.Column("temple", sa.String(64), nullable=True),
        sa.Column("zone", sa.String(64), nullable=True),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("expires_at", TZ, nullable=True),
        sa.Column("alert_id", sa.Integer(), nullable=True),
        sa.Column("sms_sent", sa.Integer(), nullable=False),
        sa.Column("sign_override", sa.JSON(), nullable=True),
        sa.Column("sent_by_id", sa.Integer(), nullable=True),
        sa.Column("sent_at", TZ, nullable=False),
    )
    op.create_index("ix_safety_broadcasts_sent_at", "safety_broadcasts", ["sent_at"])
    op.create_table(
        "safety_procedures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("incident_type", sa.String(20), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("contacts", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.UniqueConstraint("incident_type", "title", name="uq_safety_procedures_incident_type_title"),
    )
    op.create_index("ix_safety_procedures_incident_type", "safety_procedures", ["incident_type"])


def _inspections() -> None:
    t = "safety_inspections"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("site", sa.String(200), nullable=False),
        sa.Column("temple_id", sa.Integer(), nullable=True),
        sa.Column("temple", sa.String(64), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        _fk("assignee_id", t, "users.id", "SET NULL"),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("completed_at", TZ, nullable=True),
        _one_of("status", ("scheduled", "completed"), t, "status"),
    )
    op.create_index("ix_safety_inspections_assignee_id", t, ["assignee_id"])
    op.create_index("ix_safety_inspections_status_due_on", t, ["status", "due_on"])
    i = "safety_inspection_items"
    op.create_table(
        i,
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("inspection_id", i, "safety_inspections.id", "CASCADE", nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(300), nullable=False),
        sa.Column("result", sa.String(4), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("answered_at", TZ, nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.UniqueConstraint("inspection_id", "seq", name="uq_safety_inspection_items_inspection_id_seq"),
        sa.CheckConstraint("result IS NULL OR result IN ('pass', 'fail', 'na')",
                           name=op.f("ck_safety_inspection_items_result")),
    )
    a = "safety_corrective_actions"
    op.create_table(
        a,
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("inspection_id", a, "safety_inspections.id", "CASCADE", nullable=False),
        _fk("item_id", a, "safety_inspection_items.id", "CASCADE", nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        _fk("owner_id", a, "users.id", "SET NULL"),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("closed_at", TZ, nullable=True),
        sa.Column("closing_note", sa.Text(), nullable=True),
        sa.UniqueConstraint("item_id", name="uq_safety_corrective_actions_item_id"),
        _one_of("status", ("open", "closed"), a, "status"),
    )
    op.create_index("ix_safety_corrective_actions_inspection_id", a, ["inspection_id"])
    op.create_index("ix_safety_corrective_actions_owner_id", a, ["owner_id"])
    op.create_index("ix_safety_corrective_actions_status_due_on", a, ["status", "due_on"])


def _trainings_and_hazards() -> None:
    t = "safety_trainings"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person", sa.String(120), nullable=False),
        _fk("user_id", t, "users.id", "SET NULL"),
        sa.Column("course", sa.String(200), nullable=False),
        sa.Column("provider", sa.String(120), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.CheckConstraint("valid_until IS NULL OR valid_until >= completed_on",
                           name=op.f("ck_safety_trainings_validity")),
    )
    op.create_index("ix_safety_trainings_user_id", t, ["user_id"])
    op.create_index("ix_safety_trainings_valid_until", t, ["valid_until"])
    h = "safety_hazards"
    op.create_table(
        h,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("location", sa.String(200), nullable=False),
        sa.Column("temple_id", sa.Integer(), nullable=True),
        sa.Column("temple", sa.String(64), nullable=True),
        sa.Column("likelihood", sa.Integer(), nullable=False),
        sa.Column("severity", sa.Integer(), nullable=False),
        sa.Column("risk_score", sa.Integer(), nullable=False),
        sa.Column("band", sa.String(8), nullable=False),
        sa.Column("controls", sa.Text(), nullable=True),
        _fk("owner_id", h, "users.id", "SET NULL"),
        sa.Column("review_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.CheckConstraint("likelihood BETWEEN 1 AND 5", name=op.f("ck_safety_hazards_likelihood")),
        sa.CheckConstraint("severity BETWEEN 1 AND 5", name=op.f("ck_safety_hazards_severity")),
        sa.CheckConstraint("risk_score = likelihood * severity", name=op.f("ck_safety_hazards_risk_score")),
        _one_of("band", ("low", "medium", "high", "extreme"), h, "band"),
        _one_of("status", ("open", "closed"), h, "status"),
    )
    op.create_index("ix_safety_hazards_owner_id", h, ["owner_id"])
    op.create_index("ix_safety_hazards_status_risk_score", h, ["status", "risk_score"])


def upgrade():
    _incidents()
    _units()
    _broadcasts_and_procedures()
    _inspections()
    _trainings_and_hazards()


def downgrade():
    for table in ("safety_hazards", "safety_trainings", "safety_corrective_actions", "safety_inspection_items",
                  "safety_inspections", "safety_procedures", "safety_broadcasts", "safety_dispatches",
                  "safety_unit_positions", "safety_units", "safety_incident_steps", "safety_incidents"):
        op.drop_table(table)
