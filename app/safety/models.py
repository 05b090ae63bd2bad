"""Safety: incidents and their timeline, emergency units and dispatches, public warnings, and
workplace health & safety (procedures, inspections, corrective actions, trainings, hazards).

The rules that must survive concurrent requests live here, in the database:

* an incident moves only along reported → acknowledged → in_progress → resolved, by a
  conditional ``UPDATE … WHERE status = …`` (``CHECK`` keeps the column to those four values);
* a unit serves one incident at a time: a partial unique index allows one *active* dispatch
  (``released_at IS NULL``) per unit, and dispatching flips the unit ``available → dispatched``
  in one conditional UPDATE;
* a hazard's risk score is always likelihood × severity (``CHECK``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import UTCDateTime
from app.extensions import db

SOS_TYPES = ("medical", "fire", "security", "lost_person", "crowd", "other")
INCIDENT_TYPES = SOS_TYPES + ("injury", "near_miss", "hazmat", "structural", "environment", "traffic")
SEVERITIES = ("low", "medium", "high", "critical")
REPORTED, ACKNOWLEDGED, IN_PROGRESS, RESOLVED = "reported", "acknowledged", "in_progress", "resolved"
STATUSES = (REPORTED, ACKNOWLEDGED, IN_PROGRESS, RESOLVED)
OPEN_STATUSES = (REPORTED, ACKNOWLEDGED, IN_PROGRESS)
SOURCES = ("sos", "staff", "crowd", "alert", "environment", "parking", "import")

UNIT_KINDS = ("ambulance", "fire", "police", "medical_team")
AVAILABLE, DISPATCHED, ON_SCENE, RETURNING, OUT_OF_SERVICE = (
    "available", "dispatched", "on_scene", "returning", "out_of_service")
UNIT_STATUSES = (AVAILABLE, DISPATCHED, ON_SCENE, RETURNING, OUT_OF_SERVICE)
ACTIVE_DISPATCH = text("released_at IS NULL")

ITEM_RESULTS = ("pass", "fail", "na")
RISK_BANDS = ("low", "medium", "high", "extreme")


def _one_of(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({listed})", name=name)


class Incident(db.Model):
    """An SOS, a staff report, or a signal from another domain (a critical zone, an air alarm …)."""

    __tablename__ = "safety_incidents"
    __table_args__ = (
        _one_of("status", STATUSES, "status"),
        _one_of("severity", SEVERITIES, "severity"),
        CheckConstraint("lat IS NULL OR (lat BETWEEN -90 AND 90)", name="lat"),
        CheckConstraint("lng IS NULL OR (lng BETWEEN -180 AND 180)", name="lng"),
        Index("ix_safety_incidents_status_reported_at", "status", "reported_at"),
        Index("ix_safety_incidents_temple_id_reported_at", "temple_id", "reported_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    source: Mapped[str] = mapped_column(String(20))
    source_ref: Mapped[str | None] = mapped_column(String(120), index=True)
    type: Mapped[str] = mapped_column(String(20), index=True)
    severity: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(12), default=REPORTED)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    temple_id: Mapped[int | None] = mapped_column(Integer)
    temple: Mapped[str | None] = mapped_column(String(64))
    zone: Mapped[str | None] = mapped_column(String(64))
    location_text: Mapped[str | None] = mapped_column(String(200))
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    reported_by_name: Mapped[str | None] = mapped_column(String(120))
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    first_dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    first_arrived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    primary_id: Mapped[int | None] = mapped_column(ForeignKey("safety_incidents.id", ondelete="SET NULL"), index=True)

    steps: Mapped[list[IncidentStep]] = relationship(order_by="[IncidentStep.at, IncidentStep.id]",
                                                     cascade="all, delete-orphan",
                                                     lazy="selectin")
    dispatches: Mapped[list[Dispatch]] = relationship(order_by="Dispatch.id", lazy="selectin",
                                                      back_populates="incident")
    primary: Mapped[Incident | None] = relationship(remote_side=[id], back_populates="linked", lazy="selectin")
    linked: Mapped[list[Incident]] = relationship(back_populates="primary", order_by="Incident.id", lazy="selectin")


class IncidentStep(db.Model):
    """One line of an incident's timeline: what happened, the status after it, who, when, a note."""

    __tablename__ = "safety_incident_steps"
    __table_args__ = (Index("ix_safety_incident_steps_incident_id_at", "incident_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("safety_incidents.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    action: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12))
    by_kind: Mapped[str] = mapped_column(String(12))
    by_id: Mapped[int | None] = mapped_column(Integer)
    by_name: Mapped[str | None] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(Text)


class Unit(db.Model):
    """An ambulance, fire engine, police patrol or medical team, with its last known position."""

    __tablename__ = "safety_units"
    __table_args__ = (
        _one_of("kind", UNIT_KINDS, "kind"),
        _one_of("status", UNIT_STATUSES, "status"),
        Index("ix_safety_units_status_kind", "status", "kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120), unique=True)
    status: Mapped[str] = mapped_column(String(16), default=AVAILABLE)
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    position_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    temple_id: Mapped[int | None] = mapped_column(Integer)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id", ondelete="SET NULL"), index=True)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    active_dispatch: Mapped[Dispatch | None] = relationship(
        primaryjoin="and_(Dispatch.unit_id == Unit.id, Dispatch.released_at.is_(None))", viewonly=True,
        uselist=False, lazy="selectin")


class UnitPosition(db.Model):
    __tablename__ = "safety_unit_positions"
    __table_args__ = (Index("ix_safety_unit_positions_unit_id_at", "unit_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("safety_units.id", ondelete="CASCADE"))
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class Dispatch(db.Model):
    """A unit sent to an incident: active until released (one active dispatch per unit)."""

    __tablename__ = "safety_dispatches"
    __table_args__ = (
        Index("uq_safety_dispatches_active_unit", "unit_id", unique=True,
              sqlite_where=ACTIVE_DISPATCH, postgresql_where=ACTIVE_DISPATCH),
        Index("ix_safety_dispatches_incident_id", "incident_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("safety_incidents.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("safety_units.id", ondelete="CASCADE"))
    distance_m: Mapped[float | None] = mapped_column(Float)
    dispatched_at: Mapped[datetime] = mapped_column(UTCDateTime())
    dispatched_by_id: Mapped[int | None] = mapped_column(Integer)
    arrived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    unit: Mapped[Unit] = relationship(lazy="joined")
    incident: Mapped[Incident] = relationship(back_populates="dispatches")


class Broadcast(db.Model):
    """A public warning: the platform alert it raised, SMS sent, and the festival-sign override."""

    __tablename__ = "safety_broadcasts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    severity: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(String(10))
    temple_id: Mapped[int | None] = mapped_column(Integer)
    temple: Mapped[str | None] = mapped_column(String(64))
    zone: Mapped[str | None] = mapped_column(String(64))
    channels: Mapped[list] = mapped_column(JSON)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    alert_id: Mapped[int | None] = mapped_column(Integer)
    sms_sent: Mapped[int] = mapped_column(Integer, default=0)
    sign_override: Mapped[dict | None] = mapped_column(JSON)
    sent_by_id: Mapped[int | None] = mapped_column(Integer)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class Procedure(db.Model):
    """An emergency procedure for one incident type: ordered steps and whom to call."""

    __tablename__ = "safety_procedures"
    __table_args__ = (UniqueConstraint("incident_type", "title", name="uq_safety_procedures_incident_type_title"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_type: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(String(200))
    steps: Mapped[list] = mapped_column(JSON)
    contacts: Mapped[list] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Inspection(db.Model):
    """A checklist inspection of a site, due on a date, assigned to someone."""

    __tablename__ = "safety_inspections"
    __table_args__ = (_one_of("status", ("scheduled", "completed"), "status"),
                      Index("ix_safety_inspections_status_due_on", "status", "due_on"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    site: Mapped[str] = mapped_column(String(200))
    temple_id: Mapped[int | None] = mapped_column(Integer)
    temple: Mapped[str | None] = mapped_column(String(64))
    due_on: Mapped[date] = mapped_column(Date)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="scheduled")
    created_by_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    items: Mapped[list[InspectionItem]] = relationship(order_by="InspectionItem.seq", lazy="selectin",
                                                       cascade="all, delete-orphan")


class InspectionItem(db.Model):
    """One checklist line; its result is written once (pass, fail or n/a)."""

    __tablename__ = "safety_inspection_items"
    __table_args__ = (UniqueConstraint("inspection_id", "seq", name="uq_safety_inspection_items_inspection_id_seq"),
                      CheckConstraint("result IS NULL OR result IN ('pass', 'fail', 'na')", name="result"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("safety_inspections.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(300))
    result: Mapped[str | None] = mapped_column(String(4))
    note: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_by_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[CorrectiveAction | None] = relationship(back_populates="item", lazy="selectin", uselist=False)


class CorrectiveAction(db.Model):
    """What must be fixed after a failed checklist item, by whom and by when."""

    __tablename__ = "safety_corrective_actions"
    __table_args__ = (_one_of("status", ("open", "closed"), "status"),
                      Index("ix_safety_corrective_actions_status_due_on", "status", "due_on"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("safety_inspections.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("safety_inspection_items.id", ondelete="CASCADE"), unique=True)
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closing_note: Mapped[str | None] = mapped_column(Text)
    item: Mapped[InspectionItem] = relationship(back_populates="action")


class Training(db.Model):
    """A person's completed course, valid until a date (or indefinitely)."""

    __tablename__ = "safety_trainings"
    __table_args__ = (CheckConstraint("valid_until IS NULL OR valid_until >= completed_on", name="validity"),
                      Index("ix_safety_trainings_valid_until", "valid_until"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person: Mapped[str] = mapped_column(String(120))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    course: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str | None] = mapped_column(String(120))
    completed_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Hazard(db.Model):
    """An identified hazard: likelihood × severity (1–5 each) = risk score, its band, controls, review date."""

    __tablename__ = "safety_hazards"
    __table_args__ = (
        CheckConstraint("likelihood BETWEEN 1 AND 5", name="likelihood"),
        CheckConstraint("severity BETWEEN 1 AND 5", name="severity"),
        CheckConstraint("risk_score = likelihood * severity", name="risk_score"),
        _one_of("band", RISK_BANDS, "band"),
        _one_of("status", ("open", "closed"), "status"),
        Index("ix_safety_hazards_status_risk_score", "status", "risk_score"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    location: Mapped[str] = mapped_column(String(200))
    temple_id: Mapped[int | None] = mapped_column(Integer)
    temple: Mapped[str | None] = mapped_column(String(64))
    likelihood: Mapped[int] = mapped_column(Integer)
    severity: Mapped[int] = mapped_column(Integer)
    risk_score: Mapped[int] = mapped_column(Integer)
    band: Mapped[str] = mapped_column(String(8))
    controls: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    review_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
