"""Energy: feeder load, balancing recommendations, consumption, carbon and the peak forecast.  # SC-6"""

from datetime import timedelta

import pytest

from app.city import service
from app.core.timeutil import utcnow
from tests.city.conftest import hours_ago


@pytest.fixture
def feeders(make_sensor):
    """Three feeders in Veraval (two in one zone) with their meters."""
    out = {}
    for key, zone, lat, lng, capacity in (("F1", "somnath", 20.887, 70.401, 1000), ("F2", "somnath", 20.895, 70.39,
                                                                                         1000),
                                          ("F3", "veraval", 20.907, 70.367, 2000)):
        meter = make_sensor("energy_meter", zone=zone)
        out[key] = (service.create_feeder(key=key, name=f"Feeder {key}", zone=zone, lat=lat, lng=lng,
                                          capacity_kw=capacity, sensor_id=meter.id), meter)
    return out


def load(ingest, meter, kw: float, solar: float = 0.0, at=None):
    at = at or hours_ago(0.05)
    ingest(meter, [("power_kw", kw, at), ("solar_kw", solar, at)])


def test_load_against_capacity_and_status(feeders, ingest):
    load(ingest, feeders["F1"][1], 900, solar=90)
    load(ingest, feeders["F2"][1], 500)
    grids = service.energy_grids()
    f1 = next(f for f in grids["feeders"] if f["key"] == "F1")
    assert (f1["load_kw"], f1["load_pct"], f1["status"], f1["renewable_share_pct"]) == (900, 90.0, "high", 10.0)
    assert next(f for f in grids["feeders"] if f["key"] == "F3")["status"] == "unknown"
    assert grids["total_load_kw"] == 1400 and grids["load_pct"] == 70.0


def test_a_feeder_above_80_pct_shifts_load_to_its_zone_first(feeders, ingest):
    load(ingest, feeders["F1"][1], 950)  # 95 %: 250 kW above the 70 % target
    load(ingest, feeders["F2"][1], 600)  # 60 %: 100 kW of headroom to 70 %
    load(ingest, feeders["F3"][1], 600)  # 30 %: 800 kW of headroom
    recs = service.energy_grids()["recommendations"]
    assert [(r["from_feeder"], r["to_feeder"], r["shift_kw"]) for r in recs] == [("F1", "F2", 100.0),
                                                                               ("F1", "F3", 150.0)]


def test_no_headroom_means_defer_or_shed(feeders, ingest):
    for key in ("F1", "F2"):
        load(ingest, feeders[key][1], 990)
    load(ingest, feeders["F3"][1], 1980)
    recs = service.energy_grids()["recommendations"]
    assert {r["to_feeder"] for r in recs} == {None}
    assert [r["shift_kw"] for r in recs] == [290.0, 290.0, 580.0]  # each down to 70 % of its capacity


def test_a_feeder_crossing_80_pct_is_announced_once(feeders, ingest, captured_events):
    meter = feeders["F1"][1]
    load(ingest, meter, 700)
    load(ingest, meter, 850, at=hours_ago(0.04))
    load(ingest, meter, 870, at=hours_ago(0.03))
    notices = [e for e in captured_events if e.name == "city.feeder_high_load"]
    assert len(notices) == 1 and notices[0].scope == {"module": "energy", "severity": "warning"}
    load(ingest, meter, 500, at=hours_ago(0.02))
    load(ingest, meter, 900, at=hours_ago(0.01))
    assert len([e for e in captured_events if e.name == "city.feeder_high_load"]) == 2


def test_consumption_renewables_and_carbon_at_the_grid_factor(app, feeders, ingest):
    meter = feeders["F1"][1]
    # four hours at 400 kW (100 kWh per 15-minute interval) with 100 kW of rooftop solar
    readings = []
    for q in range(16):
        at = hours_ago(4) + timedelta(minutes=15 * q)
        readings += [("energy_kwh", 100, at), ("power_kw", 400, at), ("solar_kw", 100, at)]
    ingest(meter, readings)
    report = service.energy_consumption(start=hours_ago(5), end=utcnow())
    assert report["consumption_kwh"] == 1600 and report["renewable_kwh"] == pytest.approx(400, abs=100)
    grid = report["consumption_kwh"] - report["renewable_kwh"]
    assert report["carbon_kg"] == round(grid * 0.727, 1)
    assert report["emission_factor_kg_per_kwh"] == app.config["GRID_EMISSION_FACTOR_KG_PER_KWH"] == 0.727
    assert "CEA" in report["emission_factor_source"]


def test_peak_forecast_for_the_next_24_hours(feeders, ingest):
    meter = feeders["F1"][1]
    now = utcnow()
    readings = []
    for week in (1, 2):
        for h in range(30):
            at = now - timedelta(days=7 * week) + timedelta(hours=h, minutes=10)
            readings.append(("power_kw", 900 if h == 14 else 400, at))  # 14:00 UTC = 19:30 local: evening peak
    ingest(meter, readings)
    result = service.energy_forecast(hours=24)
    assert len(result["hours"]) == 24
    assert result["peak"]["load_kw"] == 900 and result["peak"]["at"].hour == 14
    assert result["peak_pct_of_capacity"] == round(100 * 900 / 4000, 1)
