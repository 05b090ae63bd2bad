"""Demo data: four temple towns with a week of readings, roads, bins and feeders; seeding twice adds nothing."""

from sqlalchemy import func, select

from app.city import seed, service
from app.city.models import Reading, RoadSegment, Sensor, WasteBin
from app.extensions import db


def _counts() -> tuple:
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in (Sensor, Reading, RoadSegment,
                                                                                    WasteBin))


def test_demo_city_is_seeded_once():
    seed.seed_demo()
    first = _counts()
    assert first[1] > 100_000  # a week of 15-minute readings
    seed.seed_demo()
    assert _counts() == first
    zones = {z["zone"]: z for z in service.air_quality_overview()}
    assert set(zones) == {"somnath", "dwarka", "ambaji", "pavagadh"}
    assert all(z["aqi"] is not None for z in zones.values())
    assert zones["ambaji"]["category"] == "Moderately polluted"
    congestion = {s["key"]: s["level"] for s in service.congestion()["segments"]}
    assert congestion["som-temple-road"] == "jammed"
    assert service.energy_grids()["recommendations"][0]["from_feeder"] == "somnath-temple"
    route = service.emergency_route(origin=(20.9077, 70.3672), destination=(20.8869, 70.4016))
    assert route["segments"] and "Temple road" not in [s["name"] for s in route["segments"]]
    assert service.signal_plan(junction="som-chowk-signal")["cycle_s"] >= 30
    full = list(db.session.scalars(service.list_bins(min_fill_pct=75)))
    plan = service.plan_collection_routes(depot={"lat": 20.9077, "lng": 70.3672}, vehicles=3,
                                          vehicle_capacity_l=3000)
    assert sorted(s for r in plan.routes for s in r["stops"]) == sorted(b.id for b in full)
    for module in service.MODULES:
        state = service.module_snapshot(module)
        assert state["module"] == module and state["snapshot"] is True
    assert service.module_snapshot("waste")["bins_to_collect"]
    assert service.module_snapshot("emergency")["incidents"][0]["kind"] == "procession"
    assert isinstance(service.module_snapshot("traffic")["at"], str)  # JSON-ready
