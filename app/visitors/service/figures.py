"""Visitor figures for KPIs and exports: arrivals per day, who is inside, overstays, the ``visits`` rows."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.auth import service as auth_service
from app.core.daily import per_local_day
from app.core.datasets import date_range, filter_int
from app.core.errors import ValidationFailed
from app.core.timeutil import utcnow
from app.extensions import db
from app.visitors.models import CHECKED_IN, VISIT_STATUSES, Visit


def visitors_per_day(first: date, last: date) -> dict:
    """Visitors checked in per local day (by when they arrived)."""
    return per_local_day(Visit.checked_in_at, first, last)


def on_site_count() -> int:
    """How many visitors are inside now."""
    return db.session.scalar(select(func.count()).where(Visit.status == CHECKED_IN))


def overstay_count() -> int:
    """How many visitors are still inside after their pass ended."""
    return db.session.scalar(select(func.count()).where(Visit.status == CHECKED_IN, Visit.valid_until < utcnow()))


def _visits_query(*, owner_id: int, is_admin: bool, filters: dict):
    stmt = select(Visit)
    if not is_admin:
        stmt = stmt.where(Visit.host_id == owner_id)
    if (status := filters.get("status")) and status not in VISIT_STATUSES:
        raise ValidationFailed({"status": [f"Must be one of: {', '.join(VISIT_STATUSES)}."]})
    if status:
        stmt = stmt.where(Visit.status == status)
    if (host_id := filter_int(filters, "host_id")) is not None:
        stmt = stmt.where(Visit.host_id == host_id)
    return date_range(stmt, filters, Visit.expected_at).order_by(Visit.expected_at, Visit.id)


def _minutes(visit: Visit) -> int | None:
    if visit.checked_in_at is None or visit.checked_out_at is None:
        return None
    return int((visit.checked_out_at - visit.checked_in_at).total_seconds() // 60)


def visit_rows(*, owner_id: int, is_admin: bool, filters: dict):
    """Yield visits by expected time, streamed (reception and admins: all; a host: their own)."""
    hosts: dict[int, str] = {}
    stmt = _visits_query(owner_id=owner_id, is_admin=is_admin, filters=filters)
    for visit in db.session.scalars(stmt.execution_options(yield_per=500)):
        if visit.host_id not in hosts:
            hosts[visit.host_id] = auth_service.get_user(visit.host_id).full_name
        yield {"code": visit.code, "status": visit.status, "visitor": visit.person.name, "phone": visit.person.phone,
               "host": hosts[visit.host_id], "purpose": visit.purpose, "expected_at": visit.expected_at,
               "valid_until": visit.valid_until, "checked_in_at": visit.checked_in_at,
               "checked_out_at": visit.checked_out_at, "minutes_inside": _minutes(visit)}
