"""What a ``city`` subscriber sees at once: the current state of one module (``request_real_time_data``)."""

from __future__ import annotations

from app.city.errors import ZoneNotFound
from app.core.errors import ValidationFailed

MODULES = ("traffic", "environment", "waste", "energy", "emergency")


def _traffic() -> dict:
    from app.city.service.incidents import incident_view, list_incidents
    from app.city.service.traffic import congestion
    from app.extensions import db

    state = congestion()
    active = [incident_view(i) for i in db.session.scalars(list_incidents(status="active").limit(50))]
    return {**state, "incidents": active}


def _environment() -> dict:
    from app.city.service.conditions import summaries
    from app.city.service.environment import air_quality_overview

    return {"zones": air_quality_overview(), "conditions": summaries()}


def _waste() -> dict:
    from app.city.service.waste import latest_plan, list_bins, plan_view, threshold
    from app.extensions import db

    full = list(db.session.scalars(list_bins(min_fill_pct=threshold())))
    plan = latest_plan()
    return {"threshold_pct": threshold(), "bins_to_collect": [
        {"id": b.id, "name": b.name, "zone": b.zone, "lat": b.lat, "lng": b.lng, "fill_pct": b.fill_pct,
         "capacity_l": b.capacity_l} for b in full], "plan": plan_view(plan) if plan else None}


def _energy() -> dict:
    from app.city.service.energy import grids

    return grids()


def _emergency() -> dict:
    from app.city.models import TrafficIncident
    from app.city.service.incidents import incident_view, list_incidents
    from app.extensions import db

    stmt = list_incidents(status="active").where(TrafficIncident.severity.in_(("high", "critical"))).limit(50)
    return {"incidents": [incident_view(i) for i in db.session.scalars(stmt)]}


BUILDERS = {"traffic": _traffic, "environment": _environment, "waste": _waste, "energy": _energy,
            "emergency": _emergency}


def module_snapshot(module: str) -> dict:
    """The current state of one city module (traffic, environment, waste, energy, emergency)."""
    if module not in BUILDERS:
        raise ValidationFailed({"module": [f"Must be one of: {', '.join(MODULES)}."]})
    try:
        state = BUILDERS[module]()
    except ZoneNotFound:
        state = {}
    return _plain({"module": module, "snapshot": True, **state})


def _plain(value: dict) -> dict:
    """JSON-ready (times as ISO 8601 with offset, as the REST resources)."""
    import json

    from flask import current_app

    return json.loads(current_app.json.dumps(value))
