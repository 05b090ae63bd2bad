"""Signs figures for KPIs and the export datasets (overrides with their acknowledgements, heartbeats)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.core.daily import per_local_day
from app.core.datasets import date_range, filter_int
from app.extensions import db
from app.signs.models import ONLINE, PENDING, Sign, SignDelivery, SignMessage, SignOverride, SignSample, SignSubmission


def online_pct() -> float:
    """Share of signs online now."""
    total, online = db.session.execute(select(func.count(), func.count().filter(Sign.status == ONLINE))).one()
    return round(100.0 * online / total, 1) if total else 0.0


def overrides_activated(first: date, last: date) -> dict:
    """Overrides put on signs per local day."""
    return per_local_day(SignOverride.activated_at, first, last)


def messages_sent(first: date, last: date) -> dict:
    """Messages pushed to signs per local day."""
    return per_local_day(SignMessage.dispatched_at, first, last)


def submissions_pending() -> int:
    """Attendee submissions waiting for moderation."""
    return db.session.scalar(select(func.count()).where(SignSubmission.status == PENDING)) or 0


def override_rows(*, owner_id: int, is_admin: bool, filters: dict):
    """Yield overrides oldest first with how many signs had them, acknowledged them, were flagged."""
    counts = (select(SignDelivery.override_id, func.count().label("signs"),
                     func.count(SignDelivery.acked_at).label("acknowledged"),
                     func.count(SignDelivery.flagged_at).label("flagged"))
              .where(SignDelivery.override_id.is_not(None)).group_by(SignDelivery.override_id).subquery())
    stmt = (select(SignOverride, counts.c.signs, counts.c.acknowledged, counts.c.flagged)
            .outerjoin(counts, counts.c.override_id == SignOverride.id))
    stmt = date_range(stmt, filters, SignOverride.created_at).order_by(SignOverride.created_at, SignOverride.id)
    for ov, signs, acknowledged, flagged in db.session.execute(stmt.execution_options(yield_per=500)):
        yield {"id": ov.id, "title": ov.title, "text": ov.text, "severity": ov.severity, "status": ov.status,
               "source": ov.source, "created_at": ov.created_at, "activated_at": ov.activated_at,
               "ended_at": ov.ended_at, "signs": signs or 0, "acknowledged": acknowledged or 0, "flagged": flagged or 0}


def heartbeat_rows(*, owner_id: int, is_admin: bool, filters: dict):
    """Yield sampled heartbeats oldest first (one sign with `sign_id`)."""
    stmt = select(SignSample, Sign.name, Sign.zone).join(Sign, Sign.id == SignSample.sign_id)
    if (sign_id := filter_int(filters, "sign_id")) is not None:
        stmt = stmt.where(SignSample.sign_id == sign_id)
    stmt = date_range(stmt, filters, SignSample.at).order_by(SignSample.at, SignSample.id)
    for sample, name, zone in db.session.execute(stmt.execution_options(yield_per=500)):
        yield {"sign_id": sample.sign_id, "sign": name, "zone": zone, "at": sample.at, "battery": sample.battery,
               "signal_strength": sample.signal_strength, "crowd_density": sample.crowd_density,
               "crowd_count": sample.crowd_count}
