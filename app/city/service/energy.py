"""Energy (SC-6): feeder load against capacity, consumption, renewable share, carbon, balancing and forecast.

A feeder's meter reports demand (``power_kw``), the energy of each interval (``energy_kwh``) and the
rooftop solar on the feeder (``solar_kw``). Grid energy is consumption less solar; its carbon is
counted at ``GRID_EMISSION_FACTOR_KG_PER_KWH`` — by default 0.727 kg CO₂/kWh, the weighted average
emission factor of India's grid for FY 2023-24 in CEA's CO2 Baseline Database, version 20.0 (Dec 2024).
A feeder above ``FEEDER_HIGH_LOAD_PCT`` (80 %) gets a recommendation to shift load to feeders of
the same zone (then the nearest) with headroom, down to ``FEEDER_TARGET_LOAD_PCT``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from app.city import events, forecast
from app.city.errors import FeederNotFound
from app.city.models import Feeder, Sensor
from app.city.service.sensors import latest_values
from app.city.service.series import zone_series
from app.core.errors import ValidationFailed
from app.core.events import transactional
from app.core.geo import haversine_m
from app.core.timeutil import city_zone, utcnow
from app.extensions import db

HISTORY_DAYS = 28


def _cfg(name: str) -> float:
    return float(current_app.config[name])


def feeders() -> list[Feeder]:
    return list(db.session.scalars(select(Feeder).order_by(Feeder.id)))


def get_feeder(feeder_id: int) -> Feeder:
    found = db.session.get(Feeder, feeder_id)
    if found is None:
        raise FeederNotFound()
    return found


@transactional
def create_feeder(*, key: str, name: str, zone: str, lat: float, lng: float, capacity_kw: float,
                  sensor_id: int | None = None) -> Feeder:
    """Add a feeder, metered by an energy_meter sensor."""
    if sensor_id is not None:
        sensor = db.session.get(Sensor, sensor_id)
        if sensor is None or sensor.kind != "energy_meter":
            raise ValidationFailed({"sensor_id": ["Must be a sensor of kind energy_meter."]})
    feeder = Feeder(key=key, name=name, zone=zone, lat=lat, lng=lng, capacity_kw=capacity_kw, sensor_id=sensor_id)
    db.session.add(feeder)
    db.session.flush()
    events.changed("feeder_created", "feeder", feeder.id, "create", {"key": [None, key]})
    return feeder


def _status(pct: float | None) -> str:
    if pct is None:
        return "unknown"
    return "overloaded" if pct > 100 else "high" if pct > _cfg("FEEDER_HIGH_LOAD_PCT") else "normal"


def feeder_loads(rows: list[Feeder] | None = None) -> list[dict]:
    """Each feeder's live load, share of capacity, solar output and status."""
    rows = feeders() if rows is None else rows
    ids = [f.sensor_id for f in rows if f.sensor_id]
    power, solar = latest_values(ids, "power_kw"), latest_values(ids, "solar_kw")
    out = []
    for f in rows:
        load = power.get(f.sensor_id, (None, None))
        sun = solar.get(f.sensor_id, (None, None))[0]
        pct = round(100 * load[0] / f.capacity_kw, 1) if load[0] is not None else None
        out.append({"id": f.id, "key": f.key, "name": f.name, "zone": f.zone, "lat": f.lat, "lng": f.lng,
                    "capacity_kw": f.capacity_kw, "load_kw": load[0], "load_pct": pct, "solar_kw": sun,
                    "renewable_share_pct": round(100 * min(sun, load[0]) / load[0], 1) if sun is not None and load[0]
                    else None, "status": _status(pct), "at": load[1]})
    return out


def recommendations(loads: list[dict]) -> list[dict]:
    """Load shifts from feeders above the high-load limit to feeders with headroom below the target."""
    high, target = _cfg("FEEDER_HIGH_LOAD_PCT"), _cfg("FEEDER_TARGET_LOAD_PCT")
    headroom = {f["id"]: f["capacity_kw"] * target / 100 - f["load_kw"] for f in loads
                if f["load_kw"] is not None and f["load_pct"] <= target}
    out = []
    for src in sorted((f for f in loads if f["load_pct"] is not None and f["load_pct"] > high),
                      key=lambda f: -f["load_pct"]):
        excess = src["load_kw"] - src["capacity_kw"] * target / 100
        for dst in sorted((f for f in loads if headroom.get(f["id"], 0) > 0),
                          key=lambda f: (f["zone"] != src["zone"], haversine_m(src["lat"], src["lng"], f["lat"],
                                                                                f["lng"]))):
            shift = min(excess, headroom[dst["id"]])
            headroom[dst["id"]] -= shift
            excess -= shift
            out.append({"from_feeder": src["key"], "to_feeder": dst["key"], "shift_kw": round(shift, 1),
                        "reason": f"{src['name']} is at {src['load_pct']}% of capacity"})
            if excess <= 0.05:
                break
        if excess > 0.05:
            out.append({"from_feeder": src["key"], "to_feeder": None, "shift_kw": round(excess, 1),
                        "reason": "No feeder has headroom: defer or shed this load (e.g. pumping, EV charging)."})
    return out


def grids() -> dict:
    """Feeders with load and status, totals and load-balancing recommendations."""
    loads = feeder_loads()
    known = [f for f in loads if f["load_kw"] is not None]
    total, capacity = sum(f["load_kw"] for f in known), sum(f["capacity_kw"] for f in known)
    solar = sum(f["solar_kw"] or 0 for f in known)
    return {"feeders": loads, "total_load_kw": round(total, 1), "total_capacity_kw": capacity,
            "load_pct": round(100 * total / capacity, 1) if capacity else None,
            "renewable_share_pct": round(100 * min(solar, total) / total, 1) if total else None,
            "recommendations": recommendations(known), "at": utcnow()}


@transactional
def refresh_feeders(*, sensor_ids: set[int]) -> None:
    """Flag feeders whose load crossed the high-load limit, telling the energy room once per crossing."""
    rows = list(db.session.scalars(select(Feeder).where(Feeder.sensor_id.in_(sensor_ids))))
    for view in feeder_loads(rows):
        high = view["load_pct"] is not None and view["load_pct"] > _cfg("FEEDER_HIGH_LOAD_PCT")
        stmt = update(Feeder).where(Feeder.id == view["id"], Feeder.overloaded.is_(not high)).values(overloaded=high)
        if db.session.execute(stmt).rowcount == 1 and high:
            events.system_update(module="energy", kind="feeder_high_load", severity="warning", feeder=view["key"],
                                 load_pct=view["load_pct"],
                                 message=f"{view['name']} is at {view['load_pct']}% of its capacity.")


def consumption(*, start: datetime, end: datetime) -> dict:
    """Energy used, solar share and carbon per feeder and in total over a period."""
    factor = _cfg("GRID_EMISSION_FACTOR_KG_PER_KWH")
    per_feeder = [_feeder_energy(f, start, end, factor) for f in feeders() if f.sensor_id]
    kwh, solar = sum(f["consumption_kwh"] for f in per_feeder), sum(f["renewable_kwh"] for f in per_feeder)
    grid = max(0.0, kwh - solar)
    return {"from": start, "to": end, "consumption_kwh": round(kwh, 1), "renewable_kwh": round(solar, 1),
            "renewable_share_pct": round(100 * solar / kwh, 1) if kwh else None, "grid_kwh": round(grid, 1),
            "carbon_kg": round(grid * factor, 1), "emission_factor_kg_per_kwh": factor,
            "emission_factor_source": current_app.config["GRID_EMISSION_FACTOR_SOURCE"], "feeders": per_feeder}


def _feeder_energy(f: Feeder, start: datetime, end: datetime, factor: float) -> dict:
    used = zone_series(sensor_ids=[f.sensor_id], metric="energy_kwh", start=start, end=end, bucket="1d")
    sun = zone_series(sensor_ids=[f.sensor_id], metric="solar_kw", start=start, end=end, bucket="1h")
    kwh = sum(p["avg"] * p["count"] for p in used)
    solar = min(kwh, sum(p["avg"] for p in sun))  # mean kW over an hour = kWh in that hour
    return {"key": f.key, "name": f.name, "consumption_kwh": round(kwh, 1), "renewable_kwh": round(solar, 1),
            "carbon_kg": round(max(0.0, kwh - solar) * factor, 1)}


def peak_forecast(*, hours: int = 24) -> dict:
    """Expected total demand for each coming hour (weekday × hour profile) and the expected peak."""
    ids = [f.sensor_id for f in feeders() if f.sensor_id]
    end, zone = utcnow(), city_zone()
    points = []
    for sid in ids:
        points += [(p["at"], p["avg"]) for p in zone_series(sensor_ids=[sid], metric="power_kw",
                                                            start=end - timedelta(days=HISTORY_DAYS), end=end,
                                                            bucket="1h")]
    totals: dict = {}
    for at, kw in points:
        totals[at] = totals.get(at, 0.0) + kw
    prof = forecast.profile(sorted(totals.items()), zone)
    hours_out = [{"at": at, "load_kw": round(v, 1) if v is not None else None, "method": method}
                 for at in forecast.next_hours(end, hours) for v, method in [forecast.predict(prof, at, zone)]]
    known = [h for h in hours_out if h["load_kw"] is not None]
    capacity = sum(f.capacity_kw for f in feeders() if f.sensor_id)
    peak = max(known, key=lambda h: h["load_kw"]) if known else None
    return {"hours": hours_out, "peak": peak, "capacity_kw": capacity,
            "peak_pct_of_capacity": round(100 * peak["load_kw"] / capacity, 1) if peak and capacity else None,
            "method": "weekday_hour_profile", "history_days": HISTORY_DAYS}
