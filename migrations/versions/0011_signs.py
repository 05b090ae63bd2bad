"""festival signs domain: signs, samples, templates (17 defaults), messages, overrides, deliveries,
submissions, subscribers, notices

Revision ID: 0011_signs
Revises: 0010_city
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_signs"
down_revision = "0010_city"
branch_labels = None
depends_on = None

IN_FORCE = sa.text("status IN ('proposed', 'active')")

# CA-5: the 17 default templates, frozen here as data (the migration never imports app code).
# (slug, category, title, body, priority, translations)
DEFAULT_TEMPLATES = [
    ("emergency_evacuation", "emergency", "Evacuate now",
     "Evacuate {zone} now. Follow {route} to the nearest exit. Stay calm and help others.", 100,
     {"hi": "{zone} तुरंत खाली करें। निकटतम निकास के लिए {route} का पालन करें। शांत रहें।",
      "gu": "{zone} તરત ખાલી કરો. નજીકના બહાર નીકળવા માટે {route} અનુસરો. શાંત રહો."}),
    ("emergency_shelter", "emergency", "Take shelter",
     "Take shelter now at {shelter}. Stay inside until staff say it is safe.", 100, {}),
    ("emergency_medical", "emergency", "Medical help",
     "Medical emergency near {location}. Make way for responders; first aid at {first_aid}.", 95, {}),
    ("weather_current", "weather", "Weather now",
     "Weather now: {conditions}, {temperature} °C.", 30, {}),
    ("weather_lightning", "weather", "Lightning warning",
     "Lightning nearby. Leave open ground and shelter at {shelter}.", 90, {}),
    ("weather_heat", "weather", "Heat warning",
     "Heat warning: {temperature} °C. Drink water; free water at {water_points}.", 70, {}),
    ("schedule_now_playing", "schedule", "Now on stage",
     "Now on {stage}: {event}.", 30, {}),
    ("schedule_starting_soon", "schedule", "Starting soon",
     "Starting at {time} on {stage}: {event}.", 35, {}),
    ("traffic", "traffic", "Traffic",
     "Traffic on {road}: {status}. {advice}", 50, {}),
    ("parking", "parking", "Parking",
     "Parking {lot}: {status}. {advice}", 50, {}),
    ("wayfinding_restrooms", "wayfinding", "Restrooms",
     "Restrooms: {direction}, {distance_m} m.", 20, {}),
    ("wayfinding_first_aid", "wayfinding", "First aid",
     "First aid: {direction}, {distance_m} m.", 25, {}),
    ("crowd_alert", "crowd", "Crowd alert",
     "{zone} is very crowded ({density}% full). Please use {alternative} instead.", 80,
     {"hi": "{zone} में बहुत भीड़ है ({density}% भरा)। कृपया {alternative} का उपयोग करें।",
      "gu": "{zone} માં ખૂબ ભીડ છે ({density}% ભરેલું). કૃપા કરીને {alternative} નો ઉપયોગ કરો."}),
    ("attendee_lost", "attendee", "Lost",
     "LOST: {text} (seen them? contact {contact})", 40, {}),
    ("attendee_found", "attendee", "Found",
     "FOUND: {text} (ask at {contact})", 40, {}),
    ("attendee_meetup", "attendee", "Meet up",
     "MEET UP: {text} (contact {contact})", 35, {}),
    ("sponsor", "sponsor", "Sponsor",
     "{sponsor}: {text}", 10, {}),
]


def upgrade():
    _signs()
    _content()
    _attendees()
    _seed_templates()


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKey:
    return sa.ForeignKey(f"{target}.id", ondelete=ondelete, name=f"fk_{table}_{column}_{target}")


def _signs():
    op.create_table(
        "signs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("device_id", sa.Integer(), _fk("signs", "device_id", "devices", "CASCADE"), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("temple_id", sa.Integer(), nullable=True),
        sa.Column("temple", sa.String(64), nullable=True),
        sa.Column("zone", sa.String(64), nullable=False),
        sa.Column("sign_group", sa.String(64), nullable=True),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lng", sa.Float(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("sid", sa.String(64), nullable=True),
        sa.Column("connected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("pinged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("battery", sa.Integer(), nullable=True),
        sa.Column("signal_strength", sa.Integer(), nullable=True),
        sa.Column("crowd_density", sa.Float(), nullable=True),
        sa.Column("crowd_count", sa.Integer(), nullable=True),
        sa.Column("impressions", sa.BigInteger(), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=True),
        sa.Column("sampled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("device_id", name="uq_signs_device_id"),
        sa.CheckConstraint("status IN ('online', 'offline')", name="ck_signs_status"),
        sa.CheckConstraint("battery IS NULL OR (battery >= 0 AND battery <= 100)", name="ck_signs_battery"),
    )
    op.create_index("ix_signs_temple_id", "signs", ["temple_id"])
    op.create_index("ix_signs_zone", "signs", ["zone"])
    op.create_index("ix_signs_sign_group", "signs", ["sign_group"])
    op.create_index("ix_signs_status_last_seen_at", "signs", ["status", "last_seen_at"])
    op.create_table(
        "sign_samples",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sign_id", sa.Integer(), _fk("sign_samples", "sign_id", "signs", "CASCADE"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("battery", sa.Integer(), nullable=True),
        sa.Column("signal_strength", sa.Integer(), nullable=True),
        sa.Column("crowd_density", sa.Float(), nullable=True),
        sa.Column("crowd_count", sa.Integer(), nullable=True),
    )
    op.create_index("ix_sign_samples_sign_id_at", "sign_samples", ["sign_id", "at"])
    op.create_index("ix_sign_samples_at", "sign_samples", ["at"])


def _content():
    op.create_table(
        "sign_templates",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("slug", sa.String(64), nullable=False),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("translations", sa.JSON(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("slug", name="uq_sign_templates_slug"),
    )
    op.create_index("ix_sign_templates_category", "sign_templates", ["category"])
    op.create_table(
        "sign_messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("template", sa.String(64), nullable=True),
        sa.Column("params", sa.JSON(), nullable=True),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("texts", sa.JSON(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("dispatched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    )
    for column in ("starts_at", "expires_at", "dispatched_at"):
        op.create_index(f"ix_sign_messages_{column}", "sign_messages", [column])
    op.create_table(
        "sign_overrides",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("template", sa.String(64), nullable=True),
        sa.Column("params", sa.JSON(), nullable=True),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("texts", sa.JSON(), nullable=False),
        sa.Column("severity", sa.String(10), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("source_key", sa.String(120), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by", sa.Integer(), nullable=True),
        sa.CheckConstraint("status IN ('proposed', 'active', 'cancelled', 'expired')", name="ck_sign_overrides_status"),
        sa.CheckConstraint("severity IN ('info', 'warning', 'critical')", name="ck_sign_overrides_severity"),
    )
    op.create_index("uq_sign_overrides_source_key_in_force", "sign_overrides", ["source_key"], unique=True,
                    sqlite_where=IN_FORCE, postgresql_where=IN_FORCE)
    op.create_index("ix_sign_overrides_status_expires_at", "sign_overrides", ["status", "expires_at"])
    op.create_table(
        "sign_deliveries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sign_id", sa.Integer(), _fk("sign_deliveries", "sign_id", "signs", "CASCADE"), nullable=False),
        sa.Column("message_id", sa.Integer(), _fk("sign_deliveries", "message_id", "sign_messages", "CASCADE"),
                  nullable=True),
        sa.Column("override_id", sa.Integer(), _fk("sign_deliveries", "override_id", "sign_overrides", "CASCADE"),
                  nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("flagged_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("message_id", "sign_id", name="uq_sign_deliveries_message_id_sign_id"),
        sa.UniqueConstraint("override_id", "sign_id", name="uq_sign_deliveries_override_id_sign_id"),
        sa.CheckConstraint("(message_id IS NULL) <> (override_id IS NULL)", name="ck_sign_deliveries_one_subject"),
    )
    op.create_index("ix_sign_deliveries_sign_id", "sign_deliveries", ["sign_id"])


def _attendees():
    op.create_table(
        "sign_submissions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("text", sa.String(300), nullable=False),
        sa.Column("zone", sa.String(64), nullable=True),
        sa.Column("contact", sa.String(100), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("reason", sa.String(300), nullable=True),
        sa.Column("message_id", sa.Integer(), _fk("sign_submissions", "message_id", "sign_messages", "SET NULL"),
                  nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("moderated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("moderated_by", sa.Integer(), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="ck_sign_submissions_status"),
    )
    op.create_index("ix_sign_submissions_status", "sign_submissions", ["status"])
    op.create_table(
        "sign_subscribers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("zone", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("zone", "phone", name="uq_sign_subscribers_zone_phone"),
    )
    op.create_table(
        "sign_notices",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("zone", sa.String(64), nullable=True),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def _seed_templates():
    table = sa.table("sign_templates", sa.column("slug", sa.String), sa.column("category", sa.String),
                     sa.column("title", sa.String), sa.column("body", sa.Text), sa.column("translations", sa.JSON),
                     sa.column("priority", sa.Integer), sa.column("is_default", sa.Boolean))
    op.bulk_insert(table, [{"slug": slug, "category": category, "title": title, "body": body,
                            "translations": translations, "priority": priority, "is_default": True}
                           for slug, category, title, body, priority, translations in DEFAULT_TEMPLATES])


def downgrade():
    for table in ("sign_notices", "sign_subscribers", "sign_submissions", "sign_deliveries", "sign_overrides",
                  "sign_messages", "sign_templates", "sign_samples", "signs"):
        op.drop_table(table)
