"""People who visit, their visits and passes, the block list, RFID cards and face templates (CR-1, CR-2).

A visit moves ``expected → checked_in → checked_out`` (or ``expected → revoked``) by conditional
UPDATEs only. Identity numbers are never stored in clear: a keyed hash (for matching the block
list) and the last four characters (for people to recognise) are kept. A face template holds the
128-number embedding alone; the photograph it came from is never stored.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, Integer, LargeBinary, String, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import UTCDateTime
from app.extensions import db

EXPECTED, CHECKED_IN, CHECKED_OUT, REVOKED = "expected", "checked_in", "checked_out", "revoked"
VISIT_STATUSES = (EXPECTED, CHECKED_IN, CHECKED_OUT, REVOKED)
ID_TYPES = ("aadhaar", "passport", "driving_licence", "voter_id", "pan", "staff_card", "other")
ENROL, ERASE, VERIFY, IDENTIFY = "enrol", "erase", "verify", "identify"
BIOMETRIC_KINDS = (ENROL, ERASE, VERIFY, IDENTIFY)
ACTIVE_BLOCK = text("lifted_at IS NULL")


class Person(db.Model):
    """Someone who comes to the trusts' offices: contractor, official, VIP or volunteer."""

    __tablename__ = "visitors_people"
    __table_args__ = (Index("uq_visitors_people_id_hash", "id_hash", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(20), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    id_type: Mapped[str | None] = mapped_column(String(20))
    id_hash: Mapped[str | None] = mapped_column(String(64))
    id_last4: Mapped[str | None] = mapped_column(String(4))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=func.now())


class Visit(db.Model):
    """One invitation: who comes, to whom, why, when; its pass is valid from ``valid_from`` to ``valid_until``."""

    __tablename__ = "visitors_visits"
    __table_args__ = (
        CheckConstraint("status IN ('expected', 'checked_in', 'checked_out', 'revoked')", name="status"),
        CheckConstraint("valid_until > valid_from", name="validity"),
        Index("ix_visitors_visits_status_valid_until", "status", "valid_until"),
        Index("ix_visitors_visits_host_id_expected_at", "host_id", "expected_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("visitors_people.id", ondelete="CASCADE"), index=True)
    host_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    purpose: Mapped[str] = mapped_column(String(200))
    expected_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime())
    valid_until: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(12), default=EXPECTED)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    checked_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoke_reason: Mapped[str | None] = mapped_column(String(200))
    overstay_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=func.now())
    person: Mapped[Person] = relationship(lazy="joined")


class Block(db.Model):
    """A person refused passes and check-in, by phone and/or identity number, until lifted."""

    __tablename__ = "visitors_blocks"
    __table_args__ = (
        CheckConstraint("phone IS NOT NULL OR id_hash IS NOT NULL", name="target"),
        Index("uq_visitors_blocks_active_phone", "phone", unique=True,
              sqlite_where=ACTIVE_BLOCK, postgresql_where=ACTIVE_BLOCK),
        Index("uq_visitors_blocks_active_id_hash", "id_hash", unique=True,
              sqlite_where=ACTIVE_BLOCK, postgresql_where=ACTIVE_BLOCK),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    id_type: Mapped[str | None] = mapped_column(String(20))
    id_hash: Mapped[str | None] = mapped_column(String(64))
    id_last4: Mapped[str | None] = mapped_column(String(4))
    name: Mapped[str | None] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(String(300))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Card(db.Model):
    """An RFID card number held by one person; a number is never shared."""

    __tablename__ = "visitors_cards"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("visitors_people.id", ondelete="CASCADE"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime())
    person: Mapped[Person] = relationship(lazy="joined")


class FaceTemplate(db.Model):
    """A person's face embedding (float32 × 128) and the consent it was given under; never a photo."""

    __tablename__ = "visitors_face_templates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("visitors_people.id", ondelete="CASCADE"), unique=True)
    embedding: Mapped[bytes] = mapped_column(LargeBinary(512))
    model: Mapped[str] = mapped_column(String(40))
    quality: Mapped[float] = mapped_column(Float)
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime())
    consent_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime())


class FaceGallery(db.Model):
    """One row whose ``revision`` changes with every enrolment or erasure (in-process gallery caches key on it)."""

    __tablename__ = "visitors_face_gallery"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[str] = mapped_column(String(32))


class BiometricLog(db.Model):
    """One use of biometrics: enrolment, erasure (consent withdrawn), verification or identification."""

    __tablename__ = "visitors_biometric_log"
    __table_args__ = (CheckConstraint("kind IN ('enrol', 'erase', 'verify', 'identify')", name="kind"),
                      Index("ix_visitors_biometric_log_kind_at", "kind", "at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("visitors_people.id", ondelete="SET NULL"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    matched: Mapped[bool | None] = mapped_column()
    distance: Mapped[float | None] = mapped_column(Float)
    latency_ms: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
