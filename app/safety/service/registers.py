"""Training records and the hazard register (CR-3).

A hazard's risk score is likelihood × severity (1–5 each, so 1–25) and its band follows the usual
5 × 5 matrix: 1–4 low, 5–9 medium, 10–14 high, 15–25 extreme. The database checks the product.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.core.errors import NotFound, ValidationFailed
from app.core.events import transactional
from app.core.timeutil import local_today, utcnow
from app.extensions import db
from app.safety import events
from app.safety.models import Hazard, Training
from app.safety.service.common import place, user_name

BANDS = ((4, "low"), (9, "medium"), (14, "high"), (25, "extreme"))
HIGH_BANDS = ("high", "extreme")


def risk_band(score: int) -> str:
    """The band of a risk score 1–25."""
    return next(band for limit, band in BANDS if score <= limit)


# --- trainings ---------------------------------------------------------------------------

@transactional
def record_training(*, person: str, course: str, completed_on: date, valid_until: date | None = None,
                    provider: str | None = None, user_id: int | None = None) -> Training:
    """Record a completed course and how long it stays valid."""
    if completed_on > local_today():
        raise ValidationFailed({"completed_on": ["A training cannot be completed in the future."]})
    if valid_until is not None and valid_until < completed_on:
        raise ValidationFailed({"valid_until": ["Must be on or after completed_on."]})
    if user_id is not None:
        user_name(user_id, "user_id")
    training = Training(person=person, course=course, completed_on=completed_on, valid_until=valid_until,
                        provider=provider, user_id=user_id, created_at=utcnow())
    db.session.add(training)
    db.session.flush()
    events.record_changed("training_recorded", entity="training", entity_id=training.id, action="create",
                          changes={"person": [None, person], "course": [None, course],
                                   "valid_until": [None, valid_until]})
    return training


def list_trainings(*, person: str | None = None, user_id: int | None = None, course: str | None = None):
    """A select of training records, those expiring soonest first (no expiry last)."""
    stmt = select(Training).order_by(Training.valid_until.is_(None), Training.valid_until, Training.id)
    for column, value in ((Training.person, person), (Training.user_id, user_id), (Training.course, course)):
        if value is not None:
            stmt = stmt.where(column == value)
    return stmt


# --- hazards -----------------------------------------------------------------------------

def _score(hazard: Hazard) -> None:
    hazard.risk_score = hazard.likelihood * hazard.severity
    hazard.band = risk_band(hazard.risk_score)


@transactional
def create_hazard(*, title: str, location: str, likelihood: int, severity: int, review_on: date,
                  controls: str | None = None, owner_id: int | None = None, temple=None) -> Hazard:
    """Identify a hazard and assess its risk."""
    if owner_id is not None:
        user_name(owner_id, "owner_id")
    temple_id, slug, _zone = place(temple, None)
    now = utcnow()
    hazard = Hazard(title=title, location=location, likelihood=likelihood, severity=severity, controls=controls,
                    owner_id=owner_id, review_on=review_on, temple_id=temple_id, temple=slug, status="open",
                    created_at=now, updated_at=now)
    _score(hazard)
    db.session.add(hazard)
    db.session.flush()
    events.record_changed("hazard_created", entity="hazard", entity_id=hazard.id, action="create",
                          changes={"title": [None, title], "risk_score": [None, hazard.risk_score]})
    return hazard


def get_hazard(hazard_id: int) -> Hazard:
    """Return a hazard or raise 404."""
    hazard = db.session.get(Hazard, hazard_id)
    if hazard is None:
        raise NotFound("No hazard with this id.")
    return hazard


HAZARD_FIELDS = ("title", "location", "likelihood", "severity", "controls", "owner_id", "review_on", "status")


@transactional
def update_hazard(*, hazard_id: int, **changes) -> Hazard:
    """Reassess a hazard: new likelihood or severity re-scores it; controls, owner, review date, status."""
    hazard = get_hazard(hazard_id)
    if changes.get("owner_id") is not None:
        user_name(changes["owner_id"], "owner_id")
    before = {k: getattr(hazard, k) for k in (*HAZARD_FIELDS, "risk_score", "band")}
    for name in HAZARD_FIELDS:
        if name in changes:
            setattr(hazard, name, changes[name])
    _score(hazard)
    hazard.updated_at = utcnow()
    diff = {k: [v, getattr(hazard, k)] for k, v in before.items() if getattr(hazard, k) != v}
    events.record_changed("hazard_updated", entity="hazard", entity_id=hazard.id, action="update", changes=diff)
    return hazard


def list_hazards(*, band: str | None = None, status: str | None = None):
    """A select of hazards, highest risk first."""
    stmt = select(Hazard).order_by(Hazard.risk_score.desc(), Hazard.review_on, Hazard.id)
    for column, value in ((Hazard.band, band), (Hazard.status, status)):
        if value is not None:
            stmt = stmt.where(column == value)
    return stmt
