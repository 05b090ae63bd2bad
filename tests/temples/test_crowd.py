"""Crowd (PW-7 … PW-12): updates, levels, live events, alerts on critical, history, heat map, predictions."""

from datetime import UTC, datetime, timedelta

from freezegun import freeze_time

from app.alerts.models import Alert
from app.core.timeutil import utcnow
from app.extensions import db, socketio
from app.temples import service
from app.temples.models import CrowdReading
from app.temples.service import level_for, predictions
from tests.conftest import assert_error


def test_levels_follow_the_thresholds():  # PW-7
    assert [level_for(p) for p in (0, 29.9, 30, 59.9, 60, 80, 80.1, 120)] == \
        ["low", "low", "moderate", "moderate", "high", "high", "critical", "critical"]


def test_operator_posts_counts_and_current_shows_density(client, temple, auth_headers):  # PW-7, PW-8
    op = auth_headers("operator")
    assert client.post("/api/v1/temples/somnath/crowd", json={"zone": "mainDarshan", "count": 45},
                       headers=op).status_code == 201
    r = client.post("/api/v1/temples/somnath/crowd", json={"readings": [{"zone": "garbhaGriha", "count": 13}]},
                    headers=op)
    assert r.status_code == 201
    current = client.get("/api/v1/temples/somnath/crowd/current").get_json()
    zones = {z["zone"]: z for z in current["zones"]}
    assert zones["mainDarshan"]["density_pct"] == 45.0 and zones["mainDarshan"]["level"] == "moderate"
    assert zones["garbhaGriha"]["density_pct"] == 65.0 and zones["garbhaGriha"]["level"] == "high"
    assert current["overall"] == {"count": 58, "capacity": 120, "density_pct": 48.3, "level": "moderate"}
    assert current["temple"] == "somnath" and current["at"]


def test_crowd_post_validation_and_roles(client, temple, auth_headers, device_key):
    op = auth_headers("operator")
    assert_error(client.post("/api/v1/temples/somnath/crowd", json={"zone": "roof", "count": 3}, headers=op), 422)
    assert_error(client.post("/api/v1/temples/somnath/crowd", json={"zone": "mainDarshan", "count": -1},
                             headers=op), 422)
    assert_error(client.post("/api/v1/temples/somnath/crowd", json={}, headers=op), 422)
    assert_error(client.post("/api/v1/temples/somnath/crowd", json={"zone": "mainDarshan", "count": 3},
                             headers=auth_headers("user")), 403)
    assert_error(client.post("/api/v1/temples/somnath/crowd", json={"zone": "mainDarshan", "count": 3},
                             headers={"X-Device-Key": "sk_bad"}), 401)
    r = client.post("/api/v1/temples/somnath/crowd", json={"zone": "mainDarshan", "count": 3},
                    headers={"X-Device-Key": device_key("counter")})
    assert r.status_code == 201  # counting devices post with their key (PW-8)


def test_live_crowd_update_and_snapshot(app, client, temple, auth_headers):  # PW-12
    client.post("/api/v1/temples/somnath/crowd", json={"zone": "mainDarshan", "count": 10},
                headers=auth_headers("operator"))
    watcher = socketio.test_client(app)
    ack = watcher.emit("subscribe", {"channel": "crowd", "temple_id": temple.id}, callback=True)
    assert ack == {"ok": True, "room": f"crowd:t{temple.id}"}
    [snapshot] = watcher.get_received()
    assert snapshot["name"] == "crowd_update" and snapshot["args"][0]["snapshot"] is True
    assert snapshot["args"][0]["overall"]["count"] == 10
    zone_watcher = socketio.test_client(app)
    zone_watcher.emit("subscribe", {"channel": "crowd", "temple_id": "somnath", "zone": "garbhaGriha"}, callback=True)
    zone_watcher.get_received()
    client.post("/api/v1/temples/somnath/crowd", json={"zone": "mainDarshan", "count": 70},
                headers=auth_headers("operator"))
    [update] = watcher.get_received()
    assert update["name"] == "crowd_update"
    assert update["args"][0] | {"at": None} == {"temple": "somnath", "temple_id": temple.id, "zone": "mainDarshan",
                                                "name": "Main", "count": 70, "capacity": 100, "density_pct": 70.0,
                                                "level": "high", "at": None}
    assert zone_watcher.get_received() == []  # another zone's update does not reach a zone room


def test_alert_once_per_crossing_into_critical(client, temple, auth_headers):  # PW-7, PW-15
    op = auth_headers("operator")
    post = lambda n: client.post("/api/v1/temples/somnath/crowd", json={"zone": "garbhaGriha", "count": n},  # noqa
                                 headers=op)
    post(10)
    post(17)  # 85 % -> critical: one alert
    post(18)  # still critical: no new alert
    post(19)
    assert db.session.query(Alert).filter_by(source="crowd").count() == 1
    post(5)  # back to low
    post(20)  # critical again: a second alert
    alerts = db.session.query(Alert).filter_by(source="crowd").all()
    assert len(alerts) == 2 and alerts[0].zone == "garbhaGriha" and alerts[0].severity == "critical"
    assert alerts[0].temple == "somnath" and alerts[0].temple_id == temple.id


def _seed_history(temple, start, hours, pattern):
    zones = {z.slug: z for z in temple.zones}
    for h in range(hours):
        at = start + timedelta(hours=h)
        for minute in (0, 30):
            db.session.add(CrowdReading(temple_id=temple.id, zone_id=zones["mainDarshan"].id,
                                        count=pattern(at), at=at + timedelta(minutes=minute)))
    db.session.flush()


def test_history_buckets(client, temple):  # PW-9
    start = datetime(2026, 11, 20, 0, 0, tzinfo=UTC)
    _seed_history(temple, start, 24, lambda at: 10 + at.hour)
    r = client.get("/api/v1/temples/somnath/crowd/history",
                   query_string={"from": start.isoformat(), "to": (start + timedelta(hours=3)).isoformat(),
                                 "bucket": "1h"})
    main = next(z for z in r.get_json()["zones"] if z["zone"] == "mainDarshan")
    assert [p["count"] for p in main["series"]] == [10.0, 11.0, 12.0]
    r = client.get("/api/v1/temples/somnath/crowd/history",
                   query_string={"from": start.isoformat(), "to": (start + timedelta(hours=1)).isoformat(),
                                 "bucket": "15m"})
    main = next(z for z in r.get_json()["zones"] if z["zone"] == "mainDarshan")
    assert [p["readings"] for p in main["series"]] == [1, 1]
    assert_error(client.get("/api/v1/temples/somnath/crowd/history",
                            query_string={"from": start.isoformat(), "to": start.isoformat()}), 422)
    assert_error(client.get("/api/v1/temples/somnath/crowd/history",
                            query_string={"from": start.isoformat(), "to": (start + timedelta(days=90)).isoformat(),
                                          "bucket": "15m"}), 422)


def test_heatmap_json_and_png(client, temple, auth_headers):  # PW-10
    start = datetime(2026, 11, 19, 18, 30, tzinfo=UTC)  # 00:00 IST on 20 Nov
    _seed_history(temple, start, 24, lambda at: 50)
    op = auth_headers("operator")
    data = client.get("/api/v1/temples/somnath/crowd/heatmap?date=2026-11-20", headers=op).get_json()
    main = next(z for z in data["zones"] if z["zone"] == "mainDarshan")
    assert data["hours"] == list(range(24)) and main["density_pct"] == [50.0] * 24
    assert next(z for z in data["zones"] if z["zone"] == "garbhaGriha")["density_pct"] == [None] * 24
    png = client.get("/api/v1/temples/somnath/crowd/heatmap.png?date=2026-11-20", headers=op)
    assert png.mimetype == "image/png" and png.data[:4] == b"\x89PNG"
    png = client.get("/api/v1/temples/somnath/crowd/heatmap?date=2026-11-20", headers={**op, "Accept": "image/png"})
    assert png.mimetype == "image/png"
    assert_error(client.get("/api/v1/temples/somnath/crowd/heatmap"), 401)


def test_predictions_follow_a_known_weekly_pattern(client, temple):  # PW-11
    now = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # Monday 09:30 IST
    pattern = lambda at: 20 + 5 * ((at.hour + 5) % 24)  # noqa: E731 - rises through the local day
    _seed_history(temple, now - timedelta(weeks=4), 24 * 7 * 4, pattern)
    with freeze_time(now):
        service.record_counts(temple_slug=temple.slug, readings=[{"zone": "mainDarshan", "count": pattern(now)}])
        result = service.predict(temple_slug=temple.slug, hours=3)
    assert result["method"] == predictions.METHOD and abs(result["recent_ratio"] - 1.0) < 0.2
    expected = [pattern(now + timedelta(hours=h)) for h in (1, 2, 3)]
    got = [p["expected_count"] for p in result["hours"]]
    assert all(abs(g - e) <= 0.15 * e for g, e in zip(got, expected, strict=True)), (got, expected)
    assert all(p["low"] <= p["expected_count"] <= p["high"] for p in result["hours"])
    r = client.get("/api/v1/temples/somnath/crowd/predictions?hours=2")
    assert r.status_code == 200 and len(r.get_json()["hours"]) == 2
    assert_error(client.get("/api/v1/temples/somnath/crowd/predictions?hours=0"), 422)


def test_busier_than_usual_lifts_the_next_hour_most(temple):  # PW-11
    now = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)
    _seed_history(temple, now - timedelta(weeks=2), 24 * 14, lambda at: 40)
    with freeze_time(now):
        service.record_counts(temple_slug=temple.slug, readings=[{"zone": "mainDarshan", "count": 80}])
        hours = service.predict(temple_slug=temple.slug, hours=4)["hours"]
    assert hours[0]["expected_count"] > hours[1]["expected_count"] > hours[3]["expected_count"] >= 40
    assert utcnow()
