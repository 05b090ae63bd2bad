"""Dashboards (SC-8): six named layouts of widgets, a default each, a user's own layout, each widget's data resolved.

A widget is ``{kind, source, title?, days?, limit?}``. Sources per kind:

- ``kpi``: any KPI name of the registry (``temples.bookings``) → value, previous, change_pct, unit;
- ``series``: any daily KPI → one point per local day over ``days`` (default 14);
- ``table``: any dataset the user may read → today's newest ``limit`` rows (default 10, at most 50);
- ``map`` / ``heatmap``: the named live sources in ``sources.py`` (points with coordinates, or zone × hour grids).

Data comes only from the registries and other domains' ``service`` modules (through ``sources.py``).
"""

from __future__ import annotations

from collections import deque
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.core.datasets import all_datasets, get_dataset
from app.core.errors import ValidationFailed
from app.core.events import transactional
from app.core.metrics import all_metrics
from app.core.security import ADMIN
from app.core.timeutil import local_today, utcnow
from app.extensions import db
from app.reports.errors import DashboardNotFound
from app.reports.models import DashboardLayout
from app.reports.service import sources
from app.reports.service.exports import sees_all
from app.reports.service.kpis import kpis, trends

KINDS = ("kpi", "series", "table", "map", "heatmap")
MAX_WIDGETS = 24
DEFAULT_DAYS, MAX_DAYS = 14, 90
DEFAULT_LIMIT, MAX_LIMIT = 10, 50

TITLES = {"executive": "Executive overview", "temples": "Temples and crowds", "parking": "Parking",
          "safety": "Safety", "visitors": "Visitors", "city": "City services"}


def _w(kind: str, source: str, **extra) -> dict:
    return {"kind": kind, "source": source, **extra}


DEFAULTS = {
    "executive": [_w("kpi", "temples.bookings"), _w("kpi", "parking.revenue"), _w("kpi", "safety.incidents"),
                  _w("kpi", "visitors.visitors_today"), _w("kpi", "alerts.active"), _w("kpi", "city.worst_aqi"),
                  _w("series", "temples.bookings"), _w("map", "temples.crowd"), _w("map", "safety.incidents.open")],
    "temples": [_w("kpi", "temples.bookings"), _w("kpi", "temples.checked_in"), _w("kpi", "temples.crowd_now"),
                _w("series", "temples.pilgrims_booked"), _w("map", "temples.crowd"), _w("heatmap", "temples.crowd"),
                _w("table", "bookings")],
    "parking": [_w("kpi", "parking.occupancy_pct"), _w("kpi", "parking.reservations"), _w("kpi", "parking.revenue"),
                _w("series", "parking.revenue"), _w("map", "parking.lots"), _w("table", "reservations")],
    "safety": [_w("kpi", "safety.open_incidents"), _w("kpi", "safety.units_available"), _w("kpi", "safety.sos"),
               _w("series", "safety.incidents"), _w("map", "safety.incidents.open"), _w("table", "incidents")],
    "visitors": [_w("kpi", "visitors.on_site"), _w("kpi", "visitors.overstays"), _w("kpi", "visitors.visitors_today"),
                 _w("series", "visitors.visitors_today"), _w("table", "visits")],
    "city": [_w("kpi", "city.worst_aqi"), _w("kpi", "city.congested_segments"), _w("kpi", "city.bins_to_collect"),
             _w("series", "city.waste_collected_kg"), _w("map", "city.aqi"), _w("table", "traffic_incidents")],
}


def _slug(slug: str) -> str:
    if slug not in TITLES:
        raise DashboardNotFound(f"No dashboard {slug!r}; use one of: {', '.join(TITLES)}.")
    return slug


def known_sources(kind: str) -> set[str]:
    """The source names a widget of ``kind`` may use."""
    if kind == "kpi":
        return set(all_metrics())
    if kind == "series":
        return {n for n, m in all_metrics().items() if m.daily is not None}
    if kind == "table":
        return set(all_datasets())
    return set(sources.live_sources(kind))


def _check_widget(user, widget: dict) -> str | None:
    """Why the widget's source cannot be used (None when it can)."""
    kind, source = widget["kind"], widget["source"]
    if source not in known_sources(kind):
        return f"Unknown {kind} source {source!r}; use one of: {', '.join(sorted(known_sources(kind)))}."
    dataset = get_dataset(source) if kind == "table" else None
    if dataset is not None and user.role != ADMIN and user.role not in dataset.roles:
        return f"Your role may not read the dataset {source!r}."
    return None


def _layout(user, slug: str) -> DashboardLayout | None:
    return db.session.scalar(select(DashboardLayout).where(DashboardLayout.user_id == user.id,
                                                           DashboardLayout.slug == slug))


def dashboard(*, user, slug: str) -> dict:
    """The user's layout of the dashboard (or its default) with every widget's data."""
    own = _layout(user, _slug(slug))
    widgets = own.widgets if own is not None else DEFAULTS[slug]
    return {"slug": slug, "title": TITLES[slug], "custom": own is not None,
            "widgets": [_resolve(user, w) for w in widgets]}


@transactional
def save_dashboard(*, user, slug: str, widgets: list[dict]) -> dict:
    """Store the user's own layout of the dashboard (422 naming the widget and field); other users keep theirs."""
    _slug(slug)
    if len(widgets) > MAX_WIDGETS:
        raise ValidationFailed({"widgets": [f"At most {MAX_WIDGETS} widgets."]})
    problems = {str(i): {"source": [p]} for i, w in enumerate(widgets) if (p := _check_widget(user, w))}
    if problems:
        raise ValidationFailed({"widgets": problems})
    own = _layout(user, slug) or DashboardLayout(user_id=user.id, slug=slug)
    own.widgets, own.updated_at = [dict(w) for w in widgets], utcnow()
    db.session.add(own)
    db.session.flush()
    return {"slug": slug}


def _resolve(user, widget: dict) -> dict:
    base = {"kind": widget["kind"], "source": widget["source"], "title": widget.get("title")}
    problem = _check_widget(user, widget)
    if problem:
        return {**base, "title": base["title"] or widget["source"], "data": None, "error": problem}
    title, data = RESOLVERS[widget["kind"]](user, widget)
    return {**base, "title": base["title"] or title, "data": plain(data), "error": None}


def _kpi(_user, widget: dict) -> tuple[str, dict]:
    figure = next(k for k in kpis()["kpis"] if k["name"] == widget["source"])
    return figure["title"], {k: figure[k] for k in ("value", "previous", "change_pct", "unit", "kind")}


def _series(_user, widget: dict) -> tuple[str, dict]:
    days = min(MAX_DAYS, max(1, widget.get("days") or DEFAULT_DAYS))
    today = local_today()
    [series] = trends(metrics=[widget["source"]], date_from=today - timedelta(days=days - 1), date_to=today)["series"]
    return series["title"], {"unit": series["unit"], "points": series["points"]}


def _table(user, widget: dict) -> tuple[str, dict]:
    dataset = get_dataset(widget["source"])
    limit = min(MAX_LIMIT, max(1, widget.get("limit") or DEFAULT_LIMIT))
    filters = {"date_from": local_today().isoformat()} if "date_from" in dataset.filters else {}
    newest = deque(dataset.rows(owner_id=user.id, is_admin=sees_all(user, dataset), filters=filters), maxlen=limit)
    columns = [{"key": c.key, "title": c.title, "kind": c.kind} for c in dataset.columns]
    return dataset.title, {"columns": columns, "rows": list(reversed(newest)), "limit": limit}


def _live(_user, widget: dict) -> tuple[str, dict]:
    return sources.live_sources(widget["kind"])[widget["source"]]()


RESOLVERS = {"kpi": _kpi, "series": _series, "table": _table, "map": _live, "heatmap": _live}


def plain(value):
    """JSON-friendly data: ISO times and dates, money as a 2-place string."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value
