"""Waste (SC-5): bins with fill levels from their sensors, and collection routes solved by VROOM.

A bin whose fill rises to ``WASTE_COLLECT_THRESHOLD_PCT`` is marked for collection once (a
conditional UPDATE), and the ``city:waste`` room hears of it. A route plan covers exactly the bins
at or above the plan's threshold, each visited once, no truck loaded beyond its capacity.
"""

from __future__ import annotations

import time

from flask import current_app
from sqlalchemy import select, update

from app.city import events, vrp
from app.city.errors import BinNotFound, PlanNotFound
from app.city.models import Sensor, WasteBin, WasteRoutePlan
from app.city.service.sensors import latest_values
from app.core.errors import ValidationFailed
from app.core.events import transactional
from app.core.timeutil import utcnow
from app.extensions import db

BIN_FIELDS = ("name", "lat", "lng", "zone", "capacity_l", "stream", "sensor_id")


def threshold() -> float:
    return float(current_app.config["WASTE_COLLECT_THRESHOLD_PCT"])


def _check_sensor(sensor_id: int | None, bin_id: int | None = None) -> None:
    if sensor_id is None:
        return
    sensor = db.session.get(Sensor, sensor_id)
    if sensor is None or sensor.kind != "waste_bin":
        raise ValidationFailed({"sensor_id": ["Must be a sensor of kind waste_bin."]})
    taken = db.session.scalar(select(WasteBin.id).where(WasteBin.sensor_id == sensor_id))
    if taken is not None and taken != bin_id:
        raise ValidationFailed({"sensor_id": ["This sensor already measures another bin."]})


def get_bin(bin_id: int) -> WasteBin:
    found = db.session.get(WasteBin, bin_id)
    if found is None:
        raise BinNotFound()
    return found


@transactional
def create_bin(*, name: str, lat: float, lng: float, zone: str, capacity_l: int, stream: str = "mixed",
               sensor_id: int | None = None, fill_pct: float = 0.0) -> WasteBin:
    """Add a bin (optionally measured by a waste_bin sensor)."""
    _check_sensor(sensor_id)
    new = WasteBin(name=name, lat=lat, lng=lng, zone=zone, capacity_l=capacity_l, stream=stream, sensor_id=sensor_id,
                   fill_pct=fill_pct, fill_at=utcnow() if fill_pct else None, needs_collection=fill_pct >= threshold())
    db.session.add(new)
    db.session.flush()
    events.changed("bin_created", "waste_bin", new.id, "create", {"name": [None, name], "zone": [None, zone]})
    return new


def list_bins(*, zone: str | None = None, min_fill_pct: float | None = None):
    """A select of bins, fullest first."""
    stmt = select(WasteBin).order_by(WasteBin.fill_pct.desc(), WasteBin.id)
    if zone:
        stmt = stmt.where(WasteBin.zone == zone)
    if min_fill_pct is not None:
        stmt = stmt.where(WasteBin.fill_pct >= min_fill_pct)
    return stmt


@transactional
def update_bin(*, bin_id: int, values: dict) -> WasteBin:
    """Change a bin's details, or set its fill level by hand (a bin without a sensor)."""
    found = get_bin(bin_id)
    if "sensor_id" in values:
        _check_sensor(values["sensor_id"], bin_id)
    changes = {k: [getattr(found, k), v] for k, v in values.items() if k in BIN_FIELDS and getattr(found, k) != v}
    for name, (_old, new) in changes.items():
        setattr(found, name, new)
    if "fill_pct" in values:
        changes["fill_pct"] = [found.fill_pct, values["fill_pct"]]
        _set_fill(found, values["fill_pct"], utcnow())
    if changes:
        events.changed("bin_updated", "waste_bin", found.id, "update", changes)
    return found


def _set_fill(found: WasteBin, fill_pct: float, at) -> None:
    found.fill_pct, found.fill_at = fill_pct, at
    db.session.flush()
    if fill_pct < threshold():
        db.session.execute(update(WasteBin).where(WasteBin.id == found.id).values(needs_collection=False))
        return
    rose = db.session.execute(update(WasteBin).where(WasteBin.id == found.id, WasteBin.needs_collection.is_(False))
                              .values(needs_collection=True)).rowcount == 1
    if rose:
        events.system_update(module="waste", kind="bin_full", severity="info", bin_id=found.id, zone=found.zone,
                             fill_pct=fill_pct, message=f"{found.name} is {fill_pct:.0f}% full: collect it.")


@transactional
def refresh_bins(*, sensor_ids: set[int]) -> None:
    """Copy the newest fill readings onto their bins (marking full ones for collection once)."""
    fills = latest_values(sensor_ids, "fill_pct")
    for found in db.session.scalars(select(WasteBin).where(WasteBin.sensor_id.in_(fills))):
        value, at = fills[found.sensor_id]
        if found.fill_at is None or at >= found.fill_at:
            _set_fill(found, value, at)


def _stops(min_fill: float, zone: str | None) -> list[vrp.Stop]:
    stmt = select(WasteBin).where(WasteBin.fill_pct >= min_fill).order_by(WasteBin.id)
    bins = db.session.scalars(stmt.where(WasteBin.zone == zone) if zone else stmt)
    return [vrp.Stop(b.id, b.lat, b.lng, max(1, round(b.capacity_l * b.fill_pct / 100))) for b in bins]


@transactional
def plan_collection_routes(*, depot: dict, vehicles: int, vehicle_capacity_l: int,
                           min_fill_pct: float | None = None, zone: str | None = None) -> WasteRoutePlan:
    """Solve the routes that collect every bin at or above the threshold (of one zone, or all), and keep the plan."""
    min_fill = threshold() if min_fill_pct is None else min_fill_pct
    stops = _stops(min_fill, zone)
    started = time.perf_counter()
    cfg = current_app.config
    plan = vrp.plan_routes(depot=(depot["lat"], depot["lng"]), stops=stops, vehicles=vehicles,
                           capacity_l=vehicle_capacity_l, speed_kmh=cfg["WASTE_TRUCK_SPEED_KMH"],
                           timeout_s=cfg["WASTE_ROUTE_TIMEOUT_MS"] / 1000) if stops else vrp.Plan([], [])
    row = WasteRoutePlan(created_at=utcnow(), depot_lat=depot["lat"], depot_lng=depot["lng"], vehicles=vehicles,
                         vehicle_capacity_l=vehicle_capacity_l, min_fill_pct=min_fill,
                         routes=[r.__dict__ for r in plan.routes], unassigned=plan.unassigned,
                         solve_ms=round((time.perf_counter() - started) * 1000))
    db.session.add(row)
    db.session.flush()
    events.system_update(module="waste", kind="route_planned", severity="info", plan_id=row.id,
                         bins=len(stops), message=f"Collection routes planned for {len(stops)} bins.")
    return row


def plan_view(plan: WasteRoutePlan) -> dict:
    """A route plan with totals (dumped by RoutePlanSchema)."""
    return {**{c.key: getattr(plan, c.key) for c in WasteRoutePlan.__table__.columns},
            "depot": {"lat": plan.depot_lat, "lng": plan.depot_lng},
            "bins": sum(len(r["stops"]) for r in plan.routes),
            "distance_m": sum(r["distance_m"] for r in plan.routes),
            "load_l": sum(r["load_l"] for r in plan.routes)}


def get_plan(plan_id: int) -> WasteRoutePlan:
    plan = db.session.get(WasteRoutePlan, plan_id)
    if plan is None:
        raise PlanNotFound()
    return plan


def latest_plan() -> WasteRoutePlan | None:
    """The most recent route plan (the console shows it)."""
    stmt = select(WasteRoutePlan).order_by(WasteRoutePlan.created_at.desc(), WasteRoutePlan.id.desc()).limit(1)
    return db.session.scalar(stmt)
