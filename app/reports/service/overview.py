"""Figures over a period against the period before (weekly summary, comprehensive report), and the alert summary.

Every figure comes from the KPI registry (``app.core.metrics``): a daily metric is summed over the
period's local days, a live gauge is shown as it is now. Alerts come through the alerts service.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from app.core.daily import day_range
from app.core.domain import domains
from app.core.metrics import Metric, all_metrics
from app.core.timeutil import city_zone, local_today, utcnow
from app.reports.service.kpis import _change_pct, _plain, _zero

SEVERITIES = ("critical", "warning", "info")
WEEK = 7


def _ordered_metrics() -> list[Metric]:
    return sorted(all_metrics().values(), key=lambda m: (m.domain, m.name))


def daily_values(metric: Metric, first: date, last: date) -> list:
    """One value per local day from ``first`` to ``last`` (zero on days without data)."""
    values = metric.daily(first, last)
    return [values.get(d, _zero(metric)) for d in day_range(first, last)]


def period_figures(first: date, last: date, *, live: bool = True) -> list[dict]:
    """Each daily metric's total over ``first``…``last`` against the same number of days before; live gauges now."""
    days = (last - first).days + 1
    before = first - timedelta(days=days)
    out = []
    for metric in _ordered_metrics():
        base = {"name": metric.name, "title": metric.title, "domain": metric.domain, "unit": metric.unit}
        if metric.daily is not None:
            values = daily_values(metric, before, last)
            previous, value = sum(values[:days], _zero(metric)), sum(values[days:], _zero(metric))
            out.append({**base, "kind": "daily", "value": _plain(value), "previous": _plain(previous),
                        "change_pct": _change_pct(value, previous)})
        elif live:
            out.append({**base, "kind": "live", "value": _plain(metric.current()), "previous": None,
                        "change_pct": None})
    return out


def weekly() -> dict:
    """The last 7 local days (today included) against the 7 before, for every daily KPI."""
    last = local_today()
    first = last - timedelta(days=WEEK - 1)
    return {"date_from": first, "date_to": last, "previous_from": first - timedelta(days=WEEK),
            "previous_to": first - timedelta(days=1), "timezone": city_zone().key, "generated_at": utcnow(),
            "figures": period_figures(first, last, live=False)}


def _alert_domain(source: str | None, known: set[str]) -> str:
    """The domain that raised an alert: the first part of its ``source`` when it names a domain."""
    head = (source or "").split(".")[0]
    return head if head in known else "other"


def alerts_summary() -> dict:
    """Alerts in force now, counted by severity, by the domain that raised them and by source."""
    from app.alerts import service as alerts

    active = alerts.active_alert_views()
    known = {d.name for d in domains()}
    severity = Counter(a["severity"] for a in active)
    newest = sorted(active, key=lambda a: a["created_at"], reverse=True)[:10]
    return {"generated_at": utcnow(), "total": len(active),
            "by_severity": {s: severity.get(s, 0) for s in SEVERITIES},
            "by_domain": dict(sorted(Counter(_alert_domain(a.get("source"), known) for a in active).items())),
            "by_source": dict(sorted(Counter(a.get("source") or "manual" for a in active).items())),
            "latest": [{k: _iso(a.get(k)) for k in ("id", "severity", "scope", "temple", "zone", "title", "source",
                                              "created_at", "expires_at")} for a in newest]}


def _iso(value):
    return value.isoformat() if hasattr(value, "isoformat") else value
