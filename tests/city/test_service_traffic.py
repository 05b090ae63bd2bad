"""Traffic: congestion, incidents, the emergency route, peak hours, forecasts, signal plans.  # SC-3"""

from datetime import timedelta

import pytest

from app.city import service
from app.city.errors import IncidentResolved, NoRoute, OffNetwork
from app.city.service import network
from app.city.service.traffic import congestion_level
from app.core.timeutil import utcnow
from tests.city.conftest import hours_ago

# A small square of streets near Somnath: gate → ghat directly, or round by the bypass.
NODES = [("gate", "Somnath temple gate", 20.8869, 70.4016), ("ghat", "Triveni Sangam ghat", 20.8930, 70.4050),
         ("chowk", "Prabhas Patan chowk", 20.8915, 70.3995), ("bypass", "Bypass junction", 20.8975, 70.4010),
         ("far", "Dwarka station", 22.2395, 68.9838), ("far2", "Dwarkadhish", 22.2380, 68.9680)]


@pytest.fixture
def roads(make_sensor):
    for key, name, lat, lng in NODES:
        network.add_node(key=key, name=name, lat=lat, lng=lng)
    sensors = {k: make_sensor("traffic", zone="somnath") for k in ("direct", "west", "north", "east")}
    spec = [("direct", "Temple road", "gate", "ghat"), ("west", "Chowk road", "gate", "chowk"),
            ("north", "Bypass north", "chowk", "bypass"), ("east", "Ghat road", "bypass", "ghat")]
    segments = {k: network.add_segment(key=k, name=n, from_key=a, to_key=b, free_flow_kmh=40, zone="somnath",
                                       sensor_id=sensors[k].id) for k, n, a, b in spec}
    network.add_segment(key="dwarka", name="Station road", from_key="far", to_key="far2", free_flow_kmh=40,
                        zone="dwarka")
    return segments, sensors


def speed(ingest, sensor, kmh: float, flow: float = 600, at=None):
    ingest(sensor, [("avg_speed_kmh", kmh, at or hours_ago(0.01)), ("vehicle_count", flow, at or hours_ago(0.01))])


@pytest.mark.parametrize(("kmh", "level"), [(40, "free"), (30, "free"), (29.9, "moderate"), (20, "moderate"),
                                            (19.9, "heavy"), (10, "heavy"), (9.9, "jammed"), (0, "jammed"),
                                            (None, "unknown")])
def test_congestion_level_from_speed_and_free_flow(kmh, level):
    assert congestion_level(kmh, 40) == level


def test_congestion_per_segment(roads, ingest):
    segments, sensors = roads
    speed(ingest, sensors["direct"], 8, flow=1400)
    speed(ingest, sensors["west"], 36)
    result = service.congestion(zone="somnath")
    by_key = {s["key"]: s for s in result["segments"]}
    assert (by_key["direct"]["level"], by_key["direct"]["speed_kmh"], by_key["direct"]["vehicle_count"]) == (
        "jammed", 8, 1400)
    assert by_key["west"]["level"] == "free" and by_key["north"]["level"] == "unknown"
    assert result["summary"] == {"free": 1, "moderate": 0, "heavy": 0, "jammed": 1, "unknown": 2}


def test_traffic_update_only_when_a_level_changes(roads, ingest, captured_events):
    _segments, sensors = roads
    speed(ingest, sensors["direct"], 8)
    updates = [e for e in captured_events if e.socket_event == "traffic_update"]
    assert len(updates) == 1 and updates[0].scope == {"module": "traffic", "severity": "warning"}
    assert [s["level"] for s in updates[0].payload["segments"]] == ["jammed"]
    speed(ingest, sensors["direct"], 7)  # still jammed
    assert len([e for e in captured_events if e.socket_event == "traffic_update"]) == 1


def test_emergency_route_avoids_a_jam(roads, ingest):
    segments, sensors = roads
    gate, ghat = (20.8869, 70.4016), (20.8930, 70.4050)
    direct = service.emergency_route(origin=gate, destination=ghat)
    assert [s["name"] for s in direct["segments"]] == ["Temple road"]
    assert direct["distance_m"] == round(segments["direct"].length_m)
    assert direct["eta_seconds"] == round(segments["direct"].length_m / (40 / 3.6))
    speed(ingest, sensors["direct"], 3)  # a procession blocks the temple road
    around = service.emergency_route(origin=gate, destination=ghat)
    assert [s["name"] for s in around["segments"]] == ["Chowk road", "Bypass north", "Ghat road"]
    assert around["path"][0] == {"lat": 20.8869, "lng": 70.4016} and around["path"][-1] == {"lat": 20.893,
                                                                                             "lng": 70.405}


def test_a_critical_incident_closes_its_segment(roads, captured_events):
    segments, _sensors = roads
    incident = service.report_incident(kind="accident", severity="critical", segment_id=segments["direct"].id)
    assert incident.status == "active" and incident.lat is not None
    route = service.emergency_route(origin=(20.8869, 70.4016), destination=(20.8930, 70.4050))
    assert "Temple road" not in [s["name"] for s in route["segments"]]
    assert {e.socket_event for e in captured_events} >= {"traffic_update", "emergency_alert"}
    service.update_incident(incident_id=incident.id, values={"status": "resolved"})
    route = service.emergency_route(origin=(20.8869, 70.4016), destination=(20.8930, 70.4050))
    assert [s["name"] for s in route["segments"]] == ["Temple road"]


def test_an_incident_is_resolved_once(roads):
    segments, _ = roads
    incident = service.report_incident(kind="breakdown", severity="low", segment_id=segments["west"].id)
    resolved = service.update_incident(incident_id=incident.id, values={"status": "resolved"})
    assert resolved.status == "resolved" and resolved.resolved_at is not None
    with pytest.raises(IncidentResolved) as caught:
        service.update_incident(incident_id=incident.id, values={"status": "resolved"})
    assert caught.value.error == "invalid_transition"


def test_no_route_between_towns_and_none_far_from_roads(roads):
    with pytest.raises(NoRoute):
        service.emergency_route(origin=(20.8869, 70.4016), destination=(22.2380, 68.9680))
    with pytest.raises(OffNetwork):
        service.emergency_route(origin=(21.5, 70.0), destination=(20.8930, 70.4050))


def test_peak_hours_and_forecast_from_the_weekday_hour_profile(roads, ingest):
    _segments, sensors = roads
    now = utcnow()
    readings = []
    for week in (1, 2):
        for h in range(24):
            at = now - timedelta(days=7 * week) + timedelta(hours=h, minutes=5)
            flow = 1500 if h == 3 else 300  # 03:00 UTC = 08:30 local: the morning rush
            readings += [("vehicle_count", flow, at), ("avg_speed_kmh", 12 if h == 3 else 38, at)]
    ingest(sensors["direct"], readings)
    peaks = service.peak_hours()
    assert peaks[0]["hour"] == 8 and peaks[0]["mean_vehicles_per_hour"] == 1500  # local hour 08:xx
    forecast = service.predictions(hours=6)
    direct = next(s for s in forecast["segments"] if s["name"] == "Temple road")
    assert [h["vehicle_count"] for h in direct["hours"]] == [300, 300, 1500, 300, 300, 300]
    assert direct["hours"][2]["level"] == "heavy" and direct["hours"][2]["method"] == "weekday_hour_mean"


def test_signal_plan_from_recent_flows(roads, ingest):
    segments, sensors = roads
    network.add_junction(key="gate-junction", name="Temple gate junction", node_key="gate", lost_time_per_phase_s=8,
                         approaches=[{"name": "Temple road", "phase": 1, "segment_key": "direct",
                                      "saturation_vph": 1600},
                                     {"name": "Chowk road", "phase": 2, "segment_key": "west", "saturation_vph": 1600}])
    ingest(sensors["direct"], [("vehicle_count", v, hours_ago(m / 60)) for m, v in ((10, 450), (20, 550))])
    ingest(sensors["west"], [("vehicle_count", 300, hours_ago(0.2))])
    plan = service.signal_plan(junction="gate-junction")
    # the textbook case again: y = 500/1600 and 300/1600, L = 16 s → C0 = 58 s, greens 26.25 s and 15.75 s
    assert (plan["cycle_s"], plan["lost_time_s"], plan["flow_ratio_sum"]) == (58, 16, 0.5)
    assert [(p["critical_approach"], p["green_s"]) for p in plan["phases"]] == [("Temple road", 26.2),
                                                                                ("Chowk road", 15.8)]
    assert all(a["measured"] for a in plan["approaches"])
