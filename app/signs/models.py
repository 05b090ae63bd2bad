"""Festival signs (CA-1 … CA-7): signs, their sampled history, templates, messages, overrides,
per-sign deliveries, attendee submissions, phone subscribers and SMS/voice sends.

A sign is an auth ``Device`` of kind ``sign`` plus a ``Sign`` row holding where it stands and its
latest state: a heartbeat updates that one row, and at most one ``SignSample`` per
``SIGNS_SAMPLE_SECONDS`` keeps the history. Which sign shows what is recorded per sign in
``SignDelivery`` (one row per message or override and sign, with sent/acknowledged times).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core.types import UTCDateTime
from app.extensions import db

ONLINE, OFFLINE = "online", "offline"
PROPOSED, ACTIVE, CANCELLED, EXPIRED = "proposed", "active", "cancelled", "expired"
PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
IN_FORCE = text("status IN ('proposed', 'active')")


class Sign(db.Model):
    """A festival sign: where it stands, whether it is connected, and its last heartbeat's figures."""

    __tablename__ = "signs"
    __table_args__ = (
        CheckConstraint("status IN ('online', 'offline')", name="status"),
        CheckConstraint("battery IS NULL OR (battery >= 0 AND battery <= 100)", name="battery"),
        Index("ix_signs_status_last_seen_at", "status", "last_seen_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    temple_id: Mapped[int | None] = mapped_column(Integer, index=True)
    temple: Mapped[str | None] = mapped_column(String(64))  # slug, kept for display
    zone: Mapped[str] = mapped_column(String(64), index=True)
    group: Mapped[str | None] = mapped_column("sign_group", String(64), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(10), default=OFFLINE)
    sid: Mapped[str | None] = mapped_column(String(64))  # the Socket.IO connection that is current
    connected_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    pinged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    battery: Mapped[int | None] = mapped_column(Integer)
    signal_strength: Mapped[int | None] = mapped_column(Integer)
    crowd_density: Mapped[float | None] = mapped_column(Float)
    crowd_count: Mapped[int | None] = mapped_column(Integer)
    impressions: Mapped[int] = mapped_column(BigInteger, default=0)
    metrics: Mapped[dict | None] = mapped_column(JSON)  # the last metrics report
    sampled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=func.now())


class SignSample(db.Model):
    """One sampled heartbeat (history for charts); at most one per sign per sampling interval."""

    __tablename__ = "sign_samples"
    __table_args__ = (Index("ix_sign_samples_sign_id_at", "sign_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sign_id: Mapped[int] = mapped_column(ForeignKey("signs.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    battery: Mapped[int | None] = mapped_column(Integer)
    signal_strength: Mapped[int | None] = mapped_column(Integer)
    crowd_density: Mapped[float | None] = mapped_column(Float)
    crowd_count: Mapped[int | None] = mapped_column(Integer)


class SignTemplate(db.Model):
    """Wording with ``{placeholders}``: English ``body`` plus ``translations`` {language: body}."""

    __tablename__ = "sign_templates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    category: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    translations: Mapped[dict] = mapped_column(JSON, default=dict)
    priority: Mapped[int] = mapped_column(Integer)
    is_default: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=func.now())


class SignMessage(db.Model):
    """Text for a set of signs within a schedule window; pushed when the window opens."""

    __tablename__ = "sign_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template: Mapped[str | None] = mapped_column(String(64))
    params: Mapped[dict | None] = mapped_column(JSON)
    category: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
    texts: Mapped[dict] = mapped_column(JSON)  # {language: rendered text}
    priority: Mapped[int] = mapped_column(Integer)
    targets: Mapped[dict] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(20), default="operator")  # operator | submission
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=func.now())


class SignOverride(db.Model):
    """A full-screen text above every message, until cancelled or expired; may start as a proposal."""

    __tablename__ = "sign_overrides"
    __table_args__ = (
        CheckConstraint("status IN ('proposed', 'active', 'cancelled', 'expired')", name="status"),
        CheckConstraint("severity IN ('info', 'warning', 'critical')", name="severity"),
        Index("uq_sign_overrides_source_key_in_force", "source_key", unique=True,
              sqlite_where=IN_FORCE, postgresql_where=IN_FORCE),
        Index("ix_sign_overrides_status_expires_at", "status", "expires_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template: Mapped[str | None] = mapped_column(String(64))
    params: Mapped[dict | None] = mapped_column(JSON)
    title: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
    texts: Mapped[dict] = mapped_column(JSON)
    severity: Mapped[str] = mapped_column(String(10))
    priority: Mapped[int] = mapped_column(Integer)
    targets: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(String(20), default="operator")  # operator | playbook | broadcast
    source_key: Mapped[str | None] = mapped_column(String(120))  # one in-force proposal per playbook trigger
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=func.now())
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_by: Mapped[int | None] = mapped_column(Integer)


class SignDelivery(db.Model):
    """One message or override for one sign: when it was sent, acknowledged, flagged as unacknowledged."""

    __tablename__ = "sign_deliveries"
    __table_args__ = (
        UniqueConstraint("message_id", "sign_id", name="uq_sign_deliveries_message_id_sign_id"),
        UniqueConstraint("override_id", "sign_id", name="uq_sign_deliveries_override_id_sign_id"),
        CheckConstraint("(message_id IS NULL) <> (override_id IS NULL)", name="one_subject"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sign_id: Mapped[int] = mapped_column(ForeignKey("signs.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("sign_messages.id", ondelete="CASCADE"))
    override_id: Mapped[int | None] = mapped_column(ForeignKey("sign_overrides.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    flagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SignSubmission(db.Model):
    """An attendee's lost/found/meetup note; reaches signs only once an operator approves it."""

    __tablename__ = "sign_submissions"
    __table_args__ = (CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # lost | found | meetup
    text: Mapped[str] = mapped_column(String(300))
    zone: Mapped[str | None] = mapped_column(String(64))
    contact: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(10), default=PENDING, index=True)
    reason: Mapped[str | None] = mapped_column(String(300))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("sign_messages.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    moderated_by: Mapped[int | None] = mapped_column(Integer)


class SignSubscriber(db.Model):
    """A phone number that asked for SMS/voice notices about one zone."""

    __tablename__ = "sign_subscribers"
    __table_args__ = (UniqueConstraint("zone", "phone", name="uq_sign_subscribers_zone_phone"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    phone: Mapped[str] = mapped_column(String(20))
    zone: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=func.now())


class SignNotice(db.Model):
    """One SMS or voice send to a list or a zone's subscribers; each recipient is a core Notification."""

    __tablename__ = "sign_notices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))  # sms | voice
    text: Mapped[str] = mapped_column(Text)
    zone: Mapped[str | None] = mapped_column(String(64))
    recipients: Mapped[list] = mapped_column(JSON)
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
