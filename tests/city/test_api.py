"""The city HTTP contract (API.md "city"): status, body, error code; bad input changes nothing.  # SC-3 … SC-8"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from app.city.models import Reading
from app.extensions import db
from tests.city.conftest import hours_ago
from tests.conftest import assert_error

CITY = "/api/v1/city"


def stored() -> int:
    return db.session.scalar(select(func.count()).select_from(Reading))


@pytest.fixture
def operator(auth_headers):
    return auth_headers("operator")


@pytest.fixture
def station(client, operator, device_key):
    """An air sensor made over HTTP, bound to a new device: (sensor JSON, device key)."""
    from app.auth import service as auth_service

    key = device_key("sensor")
    device = auth_service.resolve_device_key(key)
    r = client.post(f"{CITY}/sensors", headers=operator, json={"kind": "air", "name": "Ghat station", "lat": 20.893,
                                                               "lng": 70.405, "zone": "somnath",
                                                               "device_id": device.id})
    assert r.status_code == 201, r.get_json()
    return r.get_json(), key


def post_readings(client, key, readings, **kwargs):
    return client.post(f"{CITY}/readings", headers={"X-Device-Key": key}, json={"readings": readings}, **kwargs)


def test_operator_registers_a_sensor_and_anyone_reads_it(client, station):
    sensor, _key = station
    assert {k: sensor[k] for k in ("kind", "name", "zone", "latest", "last_seen_at")} == {
        "kind": "air", "name": "Ghat station", "zone": "somnath", "latest": {}, "last_seen_at": None}
    assert client.get(f"{CITY}/sensors/{sensor['id']}").get_json() == sensor
    listed = client.get(f"{CITY}/sensors?kind=air")
    assert listed.get_json() == [sensor] and json.loads(listed.headers["X-Pagination"])["total"] == 1


def test_sensor_validation_and_roles(client, auth_headers, operator):
    body = {"kind": "air", "name": "x", "lat": 20.9, "lng": 70.4, "zone": "somnath"}
    assert_error(client.post(f"{CITY}/sensors", json=body), 401)
    assert_error(client.post(f"{CITY}/sensors", json=body, headers=auth_headers("user")), 403, "forbidden")
    for field, value in (("kind", "radar"), ("lat", 91), ("lng", "east"), ("zone", ""), ("device_id", 99999)):
        errors = assert_error(client.post(f"{CITY}/sensors", json={**body, field: value}, headers=operator), 422,
                              "validation_error")["errors"]
        assert field in errors
    assert_error(client.get(f"{CITY}/sensors/999999"), 404, "sensor_not_found")


def test_device_posts_readings_and_gets_each_refusal(client, station):
    sensor, key = station
    at = hours_ago(1).isoformat()
    r = client.post(f"{CITY}/readings", headers={"X-Device-Key": key, "Content-Type": "application/json"},
                    data='{"readings": [{"metric": "pm25", "value": 42.5, "at": "AT"}, {"metric": "pm25", '
                         '"value": NaN}, {"metric": "pm2.5", "value": 3}, {"metric": "co", "value": 500}]}'
                    .replace("AT", at))
    assert r.status_code == 202, r.get_json()
    body = r.get_json()
    assert body["accepted"] == 1
    assert [(x["index"], x["error"]) for x in body["rejected"]] == [(1, "invalid_value"), (2, "unknown_metric"),
                                                                     (3, "out_of_range")]
    shown = client.get(f"{CITY}/sensors/{sensor['id']}").get_json()
    assert shown["latest"]["pm25"]["value"] == 42.5 and shown["last_seen_at"] is not None


def test_readings_need_a_sensor_device_key(client, station, operator, device_key):
    assert_error(post_readings(client, "sk_not-a-key", [{"metric": "pm25", "value": 1}]), 401)
    assert_error(post_readings(client, device_key("sign"), [{"metric": "pm25", "value": 1}]), 403, "not_a_sensor")
    assert_error(client.post(f"{CITY}/readings", json={"readings": []}, headers=operator), 401)


def test_another_devices_sensor_is_refused_over_http(client, station, device_key, make_sensor):
    sensor, _key = station
    other = device_key("sensor")
    body = post_readings(client, other, [{"sensor_id": sensor["id"], "metric": "pm25", "value": 5}]).get_json()
    assert body == {"accepted": 0, "rejected": [{"index": 0, "error": "not_your_sensor",
                                                 "message": "This sensor is bound to another device."}]}
    assert stored() == 0


@pytest.mark.parametrize("body", [{"readings": "pm25"}, {"readings": []}, {"data": []}, [1, 2], {"readings": [],
                                                                                               "extra": 1}])
def test_a_malformed_body_is_a_422(client, station, body):
    _sensor, key = station
    r = client.post(f"{CITY}/readings", headers={"X-Device-Key": key}, json=body)
    assert_error(r, 422, "validation_error")


def test_invalid_json_is_a_400(client, station):
    _sensor, key = station
    r = client.post(f"{CITY}/readings", headers={"X-Device-Key": key, "Content-Type": "application/json"},
                    data="{readings: oops")
    assert_error(r, 400)


def test_a_batch_over_5000_is_413_and_stores_nothing(client, station):
    _sensor, key = station
    readings = [{"metric": "pm25", "value": 1}] * 5001
    body = assert_error(post_readings(client, key, readings), 413, "batch_too_large")
    assert "5000" in body["message"]
    assert stored() == 0
    assert post_readings(client, key, readings[:5000]).get_json()["accepted"] == 5000


def test_series_over_http(client, station):
    sensor, key = station
    post_readings(client, key, [{"metric": "pm25", "value": v, "at": hours_ago(h).isoformat()}
                                for v, h in ((10, 2.9), (20, 2.8), (60, 1.5))])
    start, end = hours_ago(4).isoformat(), hours_ago(0).isoformat()
    r = client.get(f"{CITY}/sensors/{sensor['id']}/readings", query_string={"metric": "pm25", "from": start,
                                                                            "to": end, "bucket": "1d"})
    assert r.status_code == 200, r.get_json()
    assert [(p["count"], p["min"], p["max"], p["avg"]) for p in r.get_json()] == [(3, 10, 60, 30)]
    raw = client.get(f"{CITY}/sensors/{sensor['id']}/readings",
                     query_string={"metric": "pm25", "from": start, "to": end, "bucket": "raw"}).get_json()
    assert [p["avg"] for p in raw] == [10, 20, 60] and raw[0]["at"].endswith("+00:00")
    assert_error(client.get(f"{CITY}/sensors/{sensor['id']}/readings",
                            query_string={"metric": "pm25", "from": end, "to": start}), 422)
    assert_error(client.get(f"{CITY}/sensors/{sensor['id']}/readings",
                            query_string={"metric": "pm25", "from": "2026-03-01T00:00:00", "to": end}), 422)


def test_aqi_over_http(client, station):
    _sensor, key = station
    day = [{"metric": m, "value": v, "at": hours_ago(h + 0.5).isoformat()}
           for h in range(24) for m, v in (("pm25", 45), ("no2", 100), ("o3", 30))]
    post_readings(client, key, day)
    one = client.get(f"{CITY}/environment/aqi?zone=somnath").get_json()
    assert {k: one[k] for k in ("aqi", "category", "dominant_pollutant", "sub_indices")} == {
        "aqi": 120, "category": "Moderately polluted", "dominant_pollutant": "no2",
        "sub_indices": {"pm25": 75, "no2": 120, "o3": 30}}
    assert one["health_advice"] and one["at"].endswith("+00:00")
    assert [z["zone"] for z in client.get(f"{CITY}/environment/aqi").get_json()["zones"]] == ["somnath"]
    assert_error(client.get(f"{CITY}/environment/aqi?zone=atlantis"), 404, "zone_not_found")
    trends = client.get(f"{CITY}/environment/trends", query_string={
        "metric": "pm25", "from": hours_ago(25).isoformat(), "to": hours_ago(0).isoformat()}).get_json()
    assert trends["bucket"] == "1h" and len(trends["zones"][0]["series"]) == 24


def test_staff_endpoints_need_an_operator(client, auth_headers):
    user = auth_headers("user")
    for path in ("/traffic/congestion", "/traffic/peak-hours", "/traffic/predictions", "/traffic/incidents",
                 "/waste/bins", "/waste/collections", "/waste/analytics", "/energy/grids", "/energy/consumption",
                 "/energy/forecast"):
        assert_error(client.get(f"{CITY}{path}"), 401)
        assert_error(client.get(f"{CITY}{path}", headers=user), 403, "forbidden")
    route = {"from": {"lat": 20.8869, "lng": 70.4016}, "to": {"lat": 20.893, "lng": 70.405}}
    assert_error(client.post(f"{CITY}/traffic/route", json=route, headers=user), 403)


def test_traffic_incident_lifecycle_over_http(client, operator):
    r = client.post(f"{CITY}/traffic/incidents", headers=operator, json={
        "kind": "accident", "severity": "high", "lat": 20.8869, "lng": 70.4016, "description": "Two cars"})
    assert r.status_code == 201, r.get_json()
    incident = r.get_json()
    assert incident["status"] == "active" and incident["reported_by"] is not None
    assert [i["id"] for i in client.get(f"{CITY}/traffic/incidents?status=active", headers=operator).get_json()] \
        == [incident["id"]]
    done = client.patch(f"{CITY}/traffic/incidents/{incident['id']}", json={"status": "resolved"}, headers=operator)
    assert done.status_code == 200 and done.get_json()["resolved_at"]
    assert_error(client.patch(f"{CITY}/traffic/incidents/{incident['id']}", json={"status": "resolved"},
                              headers=operator), 409, "invalid_transition")
    assert_error(client.patch(f"{CITY}/traffic/incidents/{incident['id']}", json={}, headers=operator), 422)
    assert_error(client.post(f"{CITY}/traffic/incidents", headers=operator, json={"kind": "accident",
                                                                                  "severity": "high"}), 422)
    assert_error(client.patch(f"{CITY}/traffic/incidents/99999", json={"severity": "low"}, headers=operator), 404)


def test_waste_bins_routes_and_collections_over_http(client, operator):
    bins = []
    for n, fill in enumerate((90, 80, 30)):
        r = client.post(f"{CITY}/waste/bins", headers=operator, json={
            "name": f"Bin {n}", "lat": 20.887 + n / 1000, "lng": 70.401, "zone": "somnath", "capacity_l": 240,
            "fill_pct": fill})
        assert r.status_code == 201, r.get_json()
        bins.append(r.get_json())
    assert_error(client.post(f"{CITY}/waste/bins", headers=operator, json={"name": "x", "lat": 20.9, "lng": 70.4,
                                                                            "zone": "s", "capacity_l": 0}), 422)
    r = client.post(f"{CITY}/waste/routes", headers=operator, json={
        "depot": {"lat": 20.9077, "lng": 70.3672}, "vehicles": 2, "vehicle_capacity_l": 1000})
    assert r.status_code == 201, r.get_json()
    plan = r.get_json()
    assert sorted(s for route in plan["routes"] for s in route["stops"]) == sorted(b["id"] for b in bins[:2])
    assert set(plan["routes"][0]) >= {"vehicle", "stops", "distance_m", "load_l"}
    assert client.get(f"{CITY}/waste/routes/latest", headers=operator).get_json()["id"] == plan["id"]
    scheduled = client.post(f"{CITY}/waste/collections", json={"plan_id": plan["id"]}, headers=operator).get_json()
    assert len(scheduled) == 2 and {c["status"] for c in scheduled} == {"scheduled"}
    done = client.post(f"{CITY}/waste/collections/{scheduled[0]['id']}/complete", headers=operator,
                       json={"weight_kg": 42.5, "recyclable_kg": 10, "cost": "380.00"})
    assert done.status_code == 200 and done.get_json()["cost"] == "380.00"
    assert_error(client.post(f"{CITY}/waste/collections/{scheduled[0]['id']}/complete", headers=operator,
                             json={"weight_kg": 1}), 409, "invalid_transition")
    patched = client.patch(f"{CITY}/waste/bins/{bins[2]['id']}", json={"fill_pct": 95}, headers=operator).get_json()
    assert patched["fill_pct"] == 95 and patched["needs_collection"] is True
    analytics = client.get(f"{CITY}/waste/analytics", headers=operator).get_json()
    assert analytics["total"]["collections"] == 1 and analytics["total"]["recycling_share_pct"] == 23.5


def test_route_and_energy_endpoints_answer(client, operator):
    r = client.post(f"{CITY}/traffic/route", headers=operator, json={"from": {"lat": 20.88, "lng": 70.40},
                                                                     "to": {"lat": 20.89, "lng": 70.41}})
    assert_error(r, 409, "no_route")  # there is no road network yet
    assert_error(client.post(f"{CITY}/traffic/route", headers=operator, json={"from": {"lat": 95, "lng": 0}}), 422)
    assert client.get(f"{CITY}/energy/grids", headers=operator).get_json()["feeders"] == []
    assert client.get(f"{CITY}/energy/forecast?hours=12", headers=operator).get_json()["hours"][0]["load_kw"] is None
    assert_error(client.get(f"{CITY}/energy/forecast?hours=500", headers=operator), 422)
    assert client.get(f"{CITY}/energy/consumption", headers=operator).get_json()["emission_factor_kg_per_kwh"] == 0.727
    assert_error(client.get(f"{CITY}/traffic/signal-plan?junction=nowhere", headers=operator), 404,
                 "junction_not_found")


def test_creates_honour_the_idempotency_key(client, operator):
    body = {"name": "Gate bin", "lat": 20.8869, "lng": 70.4016, "zone": "somnath", "capacity_l": 240}
    headers = {**operator, "Idempotency-Key": "bin-gate-1"}
    first = client.post(f"{CITY}/waste/bins", json=body, headers=headers)
    again = client.post(f"{CITY}/waste/bins", json=body, headers=headers)
    assert first.status_code == again.status_code == 201 and first.get_json() == again.get_json()
    assert len(client.get(f"{CITY}/waste/bins", headers=operator).get_json()) == 1
    assert_error(client.post(f"{CITY}/waste/bins", json={**body, "name": "Other"}, headers=headers), 409,
                 "idempotency_mismatch")


def test_a_scheduled_collection_can_be_cancelled_once(client, operator):
    created = client.post(f"{CITY}/waste/bins", headers=operator, json={
        "name": "Ghat bin", "lat": 20.893, "lng": 70.405, "zone": "somnath", "capacity_l": 240}).get_json()
    scheduled = client.post(f"{CITY}/waste/collections", json={"bin_id": created["id"]}, headers=operator).get_json()
    cancelled = client.post(f"{CITY}/waste/collections/{scheduled[0]['id']}/cancel", headers=operator)
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    assert_error(client.post(f"{CITY}/waste/collections/{scheduled[0]['id']}/cancel", headers=operator), 409,
                 "invalid_transition")


def test_dashboard_brings_every_domain_together(client, operator, auth_headers, station):
    _sensor, key = station
    post_readings(client, key, [{"metric": m, "value": 40, "at": hours_ago(h + 0.5).isoformat()}
                                for h in range(24) for m in ("pm25", "no2", "o3")])
    body = client.get(f"{CITY}/dashboard", headers=operator).get_json()
    domains = {k["domain"] for k in body["kpis"]}
    assert {"city", "temples", "parking", "alerts"} <= domains
    worst = next(k for k in body["kpis"] if k["name"] == "city.worst_aqi")
    assert worst["value"] == 66  # PM2.5 40: 49/29 * (40-31) + 51 = 66.2
    assert set(body["alerts"]["by_severity"]) == {"info", "warning", "critical"}
    assert all({"last_7_days", "previous_7_days"} <= set(w) for w in body["weekly"])
    assert body["city"]["air"][0]["category"] == "Satisfactory"
    assert_error(client.get(f"{CITY}/dashboard", headers=auth_headers("user")), 403)
