"""KPIs and trends (`/reports/kpis`, `/reports/trends`) from every domain's figures (``app.core.metrics``).

A daily metric is a KPI (today's value against yesterday's) and a trend (one point per local day).
Both reads are cached and dropped after any committed event of a domain that declares KPIs (the
app factory adds each domain's event prefix), so a figure is never stale after a write.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from app.core.cache import cached_read
from app.core.daily import day_range
from app.core.errors import ValidationFailed
from app.core.metrics import Metric, all_metrics
from app.core.timeutil import city_zone, local_today, utcnow

MAX_TREND_DAYS = 366
DEFAULT_TREND_DAYS = 30


def _plain(value):
    """JSON-friendly numbers: INR stays exact as a 2-place string, counts as ints."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, float):
        return round(value, 1)
    return value


def _change_pct(value, previous) -> float | None:
    if value is None or not previous:
        return None
    return round((float(value) - float(previous)) * 100.0 / float(previous), 1)


def _zero(metric: Metric):
    return Decimal("0.00") if metric.unit == "INR" else 0


@cached_read("reports.kpis", timeout=60)
def _kpis_for(day_iso: str, live: bool) -> list[dict]:
    day = date.fromisoformat(day_iso)
    out = []
    for metric in sorted(all_metrics().values(), key=lambda m: (m.domain, m.name)):
        if metric.current is not None and not live:
            continue
        base = {"name": metric.name, "title": metric.title, "domain": metric.domain, "unit": metric.unit}
        if metric.daily is not None:
            values = metric.daily(day - timedelta(days=1), day)
            value, previous = values.get(day, _zero(metric)), values.get(day - timedelta(days=1), _zero(metric))
            out.append({**base, "kind": "daily", "value": _plain(value), "previous": _plain(previous),
                        "change_pct": _change_pct(value, previous)})
        else:  # a gauge only knows now: it is shown for today alone
            out.append({**base, "kind": "live", "value": _plain(metric.current()), "previous": None,
                        "change_pct": None})
    return out


def kpis(*, day: date | None = None) -> dict:
    """Every registered figure for ``day`` (default today, city time) with yesterday's for comparison."""
    today = local_today()
    day = day or today
    if day > today:
        raise ValidationFailed({"date": ["Must not be in the future."]})
    return {"date": day, "timezone": city_zone().key, "generated_at": utcnow(),
            "kpis": _kpis_for(day.isoformat(), day == today)}


def _parse_names(names: list[str] | None) -> list[Metric]:
    daily = {name: m for name, m in all_metrics().items() if m.daily is not None}
    if not names:
        return sorted(daily.values(), key=lambda m: (m.domain, m.name))
    unknown = [n for n in names if n not in daily]
    if unknown:
        raise ValidationFailed({"metrics": [f"Unknown metric(s): {', '.join(unknown)}. "
                                            f"Known: {', '.join(sorted(daily))}."]})
    return [daily[n] for n in dict.fromkeys(names)]


@cached_read("reports.trends", timeout=300)
def _series(name: str, first_iso: str, last_iso: str) -> list[dict]:
    metric = all_metrics()[name]
    first, last = date.fromisoformat(first_iso), date.fromisoformat(last_iso)
    values = metric.daily(first, last)
    return [{"date": d.isoformat(), "value": _plain(values.get(d, _zero(metric)))} for d in day_range(first, last)]


def trends(*, metrics: list[str] | None = None, date_from: date | None = None, date_to: date | None = None) -> dict:
    """One point per local day for each daily metric (all of them unless ``metrics`` names some)."""
    chosen = _parse_names(metrics)
    last = date_to or local_today()
    first = date_from or last - timedelta(days=DEFAULT_TREND_DAYS - 1)
    if first > last:
        raise ValidationFailed({"from": ["Must be on or before 'to'."]})
    if (last - first).days + 1 > MAX_TREND_DAYS:
        raise ValidationFailed({"from": [f"At most {MAX_TREND_DAYS} days per request."]})
    series = [{"name": m.name, "title": m.title, "domain": m.domain, "unit": m.unit,
               "points": _series(m.name, first.isoformat(), last.isoformat())} for m in chosen]
    return {"date_from": first, "date_to": last, "timezone": city_zone().key, "series": series}
