"""Waste: bin fill from readings, routes over exactly the full bins, collections and analytics.  # SC-5"""

import random
from decimal import Decimal

import pytest

from app.city import service, vrp
from app.city.errors import CollectionClosed
from app.core.errors import ValidationFailed
from tests.city.conftest import START, hours_ago

DEPOT = {"lat": 20.9077, "lng": 70.3672}  # Veraval bus stand yard


def scatter(n: int, seed: int = 7) -> list[tuple[float, float]]:
    rng = random.Random(seed)
    return [(20.888 + rng.uniform(-0.02, 0.02), 70.40 + rng.uniform(-0.02, 0.02)) for _ in range(n)]


@pytest.fixture
def bins():
    """12 bins of 240 l, fill 10 %, 20 %, … 100 %, 100 %, 100 %."""
    fills = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 100, 100]
    return [service.create_bin(name=f"Bin {n}", lat=lat, lng=lng, zone="somnath", capacity_l=240, fill_pct=fill)
            for n, ((lat, lng), fill) in enumerate(zip(scatter(12), fills, strict=True))]


def visited(plan) -> list[int]:
    return [stop for route in plan.routes for stop in route["stops"]]


def test_routes_cover_exactly_the_bins_above_the_threshold_once(bins):
    plan = service.plan_collection_routes(depot=DEPOT, vehicles=2, vehicle_capacity_l=1000, min_fill_pct=70)
    full = {b.id for b in bins if b.fill_pct >= 70}
    assert sorted(visited(plan)) == sorted(full)  # each bin once, no other bin
    assert len(visited(plan)) == len(set(visited(plan)))
    for route in plan.routes:
        assert route["load_l"] <= 1000
        assert route["load_l"] == sum(round(240 * next(b.fill_pct for b in bins if b.id == s) / 100)
                                      for s in route["stops"])
        assert route["distance_m"] > 0
    assert plan.unassigned == []


def test_the_default_threshold_is_configured(app, bins):
    plan = service.plan_collection_routes(depot=DEPOT, vehicles=3, vehicle_capacity_l=2000)
    assert plan.min_fill_pct == app.config["WASTE_COLLECT_THRESHOLD_PCT"] == 75
    assert sorted(visited(plan)) == sorted(b.id for b in bins if b.fill_pct >= 75)


def test_more_waste_than_one_round_means_more_trips(bins):
    plan = service.plan_collection_routes(depot=DEPOT, vehicles=1, vehicle_capacity_l=500, min_fill_pct=50)
    assert max(r["trip"] for r in plan.routes) >= 2
    assert sorted(visited(plan)) == sorted(b.id for b in bins if b.fill_pct >= 50)
    assert all(r["load_l"] <= 500 for r in plan.routes)


def test_a_bin_larger_than_a_truck_is_reported_not_dropped():
    stops = [vrp.Stop(1, 20.89, 70.40, 300), vrp.Stop(2, 20.891, 70.401, 900)]
    plan = vrp.plan_routes(depot=(20.9077, 70.3672), stops=stops, vehicles=1, capacity_l=500)
    assert [r.stops for r in plan.routes] == [[1]]
    assert plan.unassigned == [{"bin_id": 2, "reason": "larger_than_vehicle", "load_l": 900}]


def test_hundred_bins_three_vehicles():
    stops = [vrp.Stop(i + 1, lat, lng, 60 + i % 50) for i, (lat, lng) in enumerate(scatter(100, seed=3))]
    plan = vrp.plan_routes(depot=(20.9077, 70.3672), stops=stops, vehicles=3, capacity_l=3500)
    assert sorted(s for r in plan.routes for s in r.stops) == list(range(1, 101))
    assert all(r.load_l <= 3500 for r in plan.routes) and plan.unassigned == []


def test_fill_readings_mark_a_bin_for_collection_once(make_sensor, ingest, captured_events):
    sensor = make_sensor("waste_bin")
    found = service.create_bin(name="Gate bin", lat=20.8869, lng=70.4016, zone="somnath", capacity_l=240,
                               sensor_id=sensor.id)
    ingest(sensor, [("fill_pct", 40, hours_ago(2))])
    assert service.get_bin(found.id).fill_pct == 40 and not service.get_bin(found.id).needs_collection
    ingest(sensor, [("fill_pct", 80, hours_ago(1))])
    ingest(sensor, [("fill_pct", 85, hours_ago(0.5))])
    assert service.get_bin(found.id).needs_collection
    notices = [e for e in captured_events if e.name == "city.bin_full"]
    assert len(notices) == 1 and notices[0].scope == {"module": "waste", "severity": "info"}
    assert notices[0].socket_event == "system_update"


def test_a_sensor_measures_one_bin(make_sensor):
    sensor = make_sensor("waste_bin")
    service.create_bin(name="A", lat=20.88, lng=70.40, zone="somnath", capacity_l=240, sensor_id=sensor.id)
    with pytest.raises(ValidationFailed):
        service.create_bin(name="B", lat=20.88, lng=70.40, zone="somnath", capacity_l=240, sensor_id=sensor.id)
    with pytest.raises(ValidationFailed):
        service.create_bin(name="C", lat=20.88, lng=70.40, zone="somnath", capacity_l=240,
                           sensor_id=make_sensor("air").id)


def test_a_plan_is_scheduled_then_collected(bins):
    plan = service.plan_collection_routes(depot=DEPOT, vehicles=2, vehicle_capacity_l=1000, min_fill_pct=90)
    scheduled = service.record_collection(plan_id=plan.id)
    assert sorted(c.bin_id for c in scheduled) == sorted(visited(plan))
    assert {c.status for c in scheduled} == {"scheduled"}
    done = service.complete_collection(collection_id=scheduled[0].id, weight_kg=55.0, recyclable_kg=11.0)
    assert done.status == "completed" and done.cost == Decimal("450.00") and done.fill_pct >= 90
    emptied = service.get_bin(done.bin_id)
    assert emptied.fill_pct == 0 and emptied.last_emptied_at is not None and not emptied.needs_collection
    with pytest.raises(CollectionClosed):
        service.complete_collection(collection_id=scheduled[0].id, weight_kg=55.0)


def test_recyclables_cannot_outweigh_the_load(bins):
    with pytest.raises(ValidationFailed):
        service.record_collection(bin_id=bins[0].id, weight_kg=10, recyclable_kg=11)


def test_analytics_tonnage_recycling_share_and_costs(bins):
    service.record_collection(bin_id=bins[9].id, weight_kg=60, recyclable_kg=15, cost=Decimal("400.00"))
    service.record_collection(bin_id=bins[10].id, weight_kg=40, recyclable_kg=5, cost=Decimal("500.00"))
    from datetime import timedelta

    report = service.waste_analytics(start=START - timedelta(days=1), end=START + timedelta(days=1))
    total = report["total"]
    assert (total["collections"], total["weight_kg"], total["tonnes"]) == (2, 100.0, 0.1)
    assert total["recycling_share_pct"] == 20.0
    assert (total["cost"], total["cost_per_collection"], total["cost_per_tonne"]) == ("900.00", "450.00", "9000.00")
    assert report["zones"][0]["zone"] == "somnath" and report["zones"][0]["mean_fill_at_collection_pct"] == 100.0
    assert report["bins_to_collect"] == 3  # 80 %, 90 % and the last 100 %: the two emptied bins no longer count


def test_a_plan_may_cover_one_zone(bins):
    far = service.create_bin(name="Dwarka bin", lat=22.2380, lng=68.9680, zone="dwarka", capacity_l=240, fill_pct=99)
    plan = service.plan_collection_routes(depot=DEPOT, vehicles=2, vehicle_capacity_l=1000, zone="somnath")
    assert far.id not in visited(plan)
    assert sorted(visited(plan)) == sorted(b.id for b in bins if b.fill_pct >= 75)
