"""Overstay reminders: a visitor still inside VISIT_OVERSTAY_MINUTES after their pass ended → the host is asked, once.

Run by beat every five minutes. Each visit is claimed with one conditional UPDATE
(``… WHERE overstay_reminded_at IS NULL``) before its reminder is queued, and the notification
carries a ``dedupe_key``: a re-run, or a second beat by mistake, sends nothing more.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from app.core.events import transactional
from app.core.timeutil import utcnow
from app.extensions import db
from app.visitors.models import CHECKED_IN, Visit
from app.visitors.service import notices
from app.visitors.service.views import visit_views


def overstaying_since(now=None):
    """A select of checked-in visits whose pass ended more than the grace period ago, not yet reminded."""
    now = now or utcnow()
    grace = timedelta(minutes=current_app.config["VISIT_OVERSTAY_MINUTES"])
    return select(Visit).where(Visit.status == CHECKED_IN, Visit.valid_until <= now - grace,
                               Visit.overstay_reminded_at.is_(None)).order_by(Visit.valid_until, Visit.id)


def _claim(visit: Visit, now) -> bool:
    claimed = db.session.execute(update(Visit).where(Visit.id == visit.id, Visit.overstay_reminded_at.is_(None))
                                 .values(overstay_reminded_at=now).execution_options(synchronize_session=False))
    return claimed.rowcount == 1


@transactional
def remind_overstays() -> int:
    """Remind each overstaying visitor's host once; return how many were reminded."""
    now = utcnow()
    claimed = [v for v in db.session.scalars(overstaying_since(now)).all() if _claim(v, now)]
    for view in visit_views(claimed):
        notices.remind_host_of_overstay(view)
    return len(claimed)
