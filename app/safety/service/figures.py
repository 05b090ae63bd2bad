"""Export rows (datasets ``incidents``, ``inspections``, ``trainings``, ``hazards``) and KPI figures.

Rows stream from a server-side query (constant memory); filters arrive as strings and bad ones
are a 422 naming the filter.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from app.core.daily import per_local_day
from app.core.datasets import date_range, filter_date
from app.core.errors import ValidationFailed
from app.core.timeutil import local_today
from app.extensions import db
from app.safety.models import (
    AVAILABLE,
    INCIDENT_TYPES,
    OPEN_STATUSES,
    STATUSES,
    CorrectiveAction,
    Hazard,
    Incident,
    Inspection,
    InspectionItem,
    Training,
    Unit,
)
from app.safety.service.common import place, setting
from app.safety.service.registers import HIGH_BANDS


def _one_of(filters: dict, key: str, allowed: tuple[str, ...]) -> str | None:
    value = filters.get(key) or None
    if value is not None and value not in allowed:
        raise ValidationFailed({key: [f"Must be one of: {', '.join(allowed)}."]})
    return value


def _minutes(start, end) -> float | None:
    return None if start is None or end is None else round((end - start).total_seconds() / 60, 1)


def incident_rows(*, owner_id: int, is_admin: bool, filters: dict):
    """Incidents with their response minutes (a reporter's own, or all for responders), oldest first."""
    stmt = select(Incident).order_by(Incident.reported_at, Incident.id)
    if not is_admin:
        stmt = stmt.where(Incident.reported_by_id == owner_id)
    if filters.get("temple"):
        stmt = stmt.where(Incident.temple_id == place(filters["temple"], None)[0])
    for column, key, allowed in ((Incident.type, "type", INCIDENT_TYPES), (Incident.status, "status", STATUSES)):
        if value := _one_of(filters, key, allowed):
            stmt = stmt.where(column == value)
    stmt = date_range(stmt, filters, Incident.reported_at)
    for i in db.session.scalars(stmt.execution_options(yield_per=500)):
        yield {"code": i.code, "type": i.type, "severity": i.severity, "status": i.status, "title": i.title,
               "temple": i.temple, "zone": i.zone, "reported_at": i.reported_at, "reported_by": i.reported_by_name,
               "minutes_to_acknowledge": _minutes(i.reported_at, i.acknowledged_at),
               "minutes_to_dispatch": _minutes(i.reported_at, i.first_dispatched_at),
               "minutes_to_arrive": _minutes(i.reported_at, i.first_arrived_at),
               "minutes_to_resolve": _minutes(i.reported_at, i.resolved_at),
               "related_to": i.primary.code if i.primary else None}


def inspection_rows(*, owner_id: int, is_admin: bool, filters: dict):
    """Inspections with their failed items and open corrective actions, by due date."""
    failed = (select(func.count()).where(InspectionItem.inspection_id == Inspection.id,
                                         InspectionItem.result == "fail").scalar_subquery())
    open_actions = (select(func.count()).where(CorrectiveAction.inspection_id == Inspection.id,
                                               CorrectiveAction.status == "open").scalar_subquery())
    stmt = select(Inspection, failed, open_actions).order_by(Inspection.due_on, Inspection.id)
    if start := filter_date(filters, "date_from"):
        stmt = stmt.where(Inspection.due_on >= start)
    if end := filter_date(filters, "date_to"):
        stmt = stmt.where(Inspection.due_on <= end)
    for inspection, failures, actions in db.session.execute(stmt.execution_options(yield_per=500)):
        yield {"id": inspection.id, "title": inspection.title, "site": inspection.site, "temple": inspection.temple,
               "due_on": inspection.due_on, "status": inspection.status, "completed_at": inspection.completed_at,
               "failed_items": failures, "open_actions": actions}


def training_state(valid_until: date | None, today: date) -> str:
    """valid, expiring (within SAFETY_EXPIRING_DAYS) or expired."""
    if valid_until is None or valid_until > today + timedelta(days=setting("EXPIRING_DAYS")):
        return "valid"
    return "expired" if valid_until < today else "expiring"


def training_rows(*, owner_id: int, is_admin: bool, filters: dict):
    """Training records with their state today, by person and course."""
    today = local_today()
    stmt = select(Training).order_by(Training.person, Training.course, Training.completed_on)
    for t in db.session.scalars(stmt.execution_options(yield_per=500)):
        yield {"person": t.person, "course": t.course, "provider": t.provider, "completed_on": t.completed_on,
               "valid_until": t.valid_until, "state": training_state(t.valid_until, today)}


def hazard_rows(*, owner_id: int, is_admin: bool, filters: dict):
    """The hazard register, highest risk first."""
    stmt = select(Hazard).order_by(Hazard.risk_score.desc(), Hazard.id)
    if status := _one_of(filters, "status", ("open", "closed")):
        stmt = stmt.where(Hazard.status == status)
    for h in db.session.scalars(stmt.execution_options(yield_per=500)):
        yield {"id": h.id, "title": h.title, "location": h.location, "temple": h.temple, "likelihood": h.likelihood,
               "severity": h.severity, "risk_score": h.risk_score, "band": h.band, "controls": h.controls,
               "review_on": h.review_on, "status": h.status}


# --- KPIs --------------------------------------------------------------------------------

def incidents_reported(first: date, last: date) -> dict:
    """Incidents reported per local day."""
    return per_local_day(Incident.reported_at, first, last)


def sos_raised(first: date, last: date) -> dict:
    """SOS raised per local day."""
    return per_local_day(Incident.reported_at, first, last, Incident.source == "sos")


def open_incidents() -> int:
    """Incidents not resolved yet."""
    return db.session.scalar(select(func.count()).where(Incident.status.in_(OPEN_STATUSES))) or 0


def units_available() -> int:
    """Units available for dispatch now."""
    return db.session.scalar(select(func.count()).where(Unit.status == AVAILABLE)) or 0


def open_high_risks() -> int:
    """Open hazards in the high or extreme band."""
    return db.session.scalar(select(func.count()).where(Hazard.status == "open", Hazard.band.in_(HIGH_BANDS))) or 0
