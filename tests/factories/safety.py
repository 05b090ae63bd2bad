"""Safety factories: emergency units, incidents (with their first timeline row), hazards, trainings."""

from __future__ import annotations

from datetime import timedelta

import factory

from app.core.timeutil import local_today, utcnow
from app.safety.models import Hazard, Incident, IncidentStep, Training, Unit
from tests.factories import Base

SOMNATH = (20.8880, 70.4013)


class UnitFactory(Base):
    """An available ambulance about 1 km east of Somnath temple."""

    class Meta:
        model = Unit

    kind = "ambulance"
    name = factory.Sequence(lambda n: f"108 ambulance {n}")
    status = "available"
    lat, lng = SOMNATH[0], SOMNATH[1] + 0.0096
    position_at = factory.LazyFunction(utcnow)
    status_changed_at = factory.LazyFunction(utcnow)
    created_at = factory.LazyFunction(utcnow)


class IncidentFactory(Base):
    """A reported staff incident (medium injury) far from the temples, with its `reported` step."""

    class Meta:
        model = Incident

    code = factory.Sequence(lambda n: f"INC-F{n:05d}")
    source = "staff"
    type = "injury"
    severity = "medium"
    status = "reported"
    title = factory.Sequence(lambda n: f"Incident {n}")
    lat = factory.Sequence(lambda n: 21.0 + n * 0.05)
    lng = 71.0
    reported_by_name = "Factory reporter"
    reported_at = factory.LazyFunction(utcnow)

    @factory.post_generation
    def reported_step(obj, create, _extracted, **_kwargs):  # noqa: N805 - factory_boy hook
        obj.steps.append(IncidentStep(at=obj.reported_at, action="reported", status="reported", by_kind="system",
                                      by_name="Sangam"))


class HazardFactory(Base):
    """An open medium hazard (3 × 3) to review in 60 days."""

    class Meta:
        model = Hazard

    title = factory.Sequence(lambda n: f"Hazard {n}")
    location = "Main darshan hall"
    likelihood, severity, risk_score, band = 3, 3, 9, "medium"
    review_on = factory.LazyFunction(lambda: local_today() + timedelta(days=60))
    status = "open"
    created_at = factory.LazyFunction(utcnow)
    updated_at = factory.LazyFunction(utcnow)


class TrainingFactory(Base):
    """First aid, done a year ago, valid for another year."""

    class Meta:
        model = Training

    person = factory.Faker("name", locale="en_IN")
    course = "First aid and CPR"
    completed_on = factory.LazyFunction(lambda: local_today() - timedelta(days=365))
    valid_until = factory.LazyFunction(lambda: local_today() + timedelta(days=365))
    created_at = factory.LazyFunction(utcnow)
