"""Emergency statistics (PW-17, SC-7): counts by type, status, severity and week; response times.

Response times are minutes from the report to the first acknowledgement, the first dispatch, the
first arrival on scene and the resolution: the mean and the 90th percentile (linear interpolation
between ranks, as spreadsheets compute it). Weeks are ISO weeks of the city's calendar.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import date, datetime, timedelta

from sqlalchemy import select

from app.core import charts
from app.core.timeutil import to_local
from app.extensions import db
from app.safety.models import INCIDENT_TYPES, SEVERITIES, STATUSES, Incident
from app.safety.service.common import place

MILESTONES = {"acknowledge": Incident.acknowledged_at, "dispatch": Incident.first_dispatched_at,
              "arrive": Incident.first_arrived_at, "resolve": Incident.resolved_at}
MAX_WEEKS = 52


def percentile(values: list[float], pct: float) -> float | None:
    """The ``pct`` percentile of ``values`` (linear interpolation), None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _figures(minutes: list[float]) -> dict:
    mean = sum(minutes) / len(minutes) if minutes else None
    p90 = percentile(minutes, 90)
    return {"count": len(minutes), "mean": None if mean is None else round(mean, 1),
            "p90": None if p90 is None else round(p90, 1)}


def _week_start(at: datetime) -> date:
    day = to_local(at).date()
    return day - timedelta(days=day.weekday())


def _weeks(rows) -> list[dict]:
    """Incidents per ISO week (and per type in it), empty weeks kept, the last MAX_WEEKS."""
    if not rows:
        return []
    per_week = Counter((_week_start(r.reported_at), r.type) for r in rows)
    starts = {week for week, _type in per_week}
    first, last = min(starts), max(starts)
    first = max(first, last - timedelta(weeks=MAX_WEEKS - 1))
    weeks = [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]
    return [{"week": f"{w.isocalendar()[0]}-W{w.isocalendar()[1]:02d}", "starts_on": w,
             "count": sum(n for (week, _t), n in per_week.items() if week == w),
             "by_type": {t: n for (week, t), n in sorted(per_week.items()) if week == w}} for w in weeks]


def _query(temple, date_from, date_to):
    stmt = select(Incident.type, Incident.status, Incident.severity, Incident.reported_at, *MILESTONES.values())
    if temple is not None:
        stmt = stmt.where(Incident.temple_id == place(temple, None)[0])
    if date_from is not None:
        stmt = stmt.where(Incident.reported_at >= date_from)
    if date_to is not None:
        stmt = stmt.where(Incident.reported_at < date_to)
    return db.session.execute(stmt).all()


def incident_stats(*, temple=None, date_from: datetime | None = None, date_to: datetime | None = None) -> dict:
    """Counts by type, status, severity and week, and mean/p90 minutes to acknowledge, dispatch, arrive, resolve."""
    rows = _query(temple, date_from, date_to)
    by_type = Counter(r.type for r in rows)
    minutes = {name: [] for name in MILESTONES}
    for row in rows:
        for name, column in MILESTONES.items():
            at = getattr(row, column.key)
            if at is not None:
                minutes[name].append((at - row.reported_at).total_seconds() / 60)
    return {
        "temple": temple, "from": date_from, "to": date_to, "total": len(rows),
        "by_type": {t: by_type[t] for t in INCIDENT_TYPES if by_type[t]},
        "by_status": {s: sum(r.status == s for r in rows) for s in STATUSES},
        "by_severity": {s: sum(r.severity == s for r in rows) for s in SEVERITIES},
        "by_week": _weeks(rows),
        "response_minutes": {name: _figures(values) for name, values in minutes.items()},
    }


def stats_chart(stats: dict) -> bytes:
    """A PNG of incidents per week, one line per type and one for all."""
    weeks = stats["by_week"] or [{"week": "no data", "count": 0, "by_type": {}}]
    series = {"all": [w["count"] for w in weeks]}
    series |= {t: [w["by_type"].get(t, 0) for w in weeks] for t in stats["by_type"]}
    place = stats["temple"] or "all temples and the city"
    return charts.line_chart(f"Incidents per week by type — {place} ({stats['total']} in all)",
                             [w["week"] for w in weeks], series, "incidents")
