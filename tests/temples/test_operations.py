"""Shuttles (PW-13), resources (PW-16), analytics (PW-17), reminders, exports and demo data (PW-20)."""

import csv
import io
from datetime import timedelta

from freezegun import freeze_time

from app.core.notify import Notification
from app.core.timeutil import local_today, utcnow
from app.extensions import db, socketio
from app.temples import service
from app.temples.models import Booking, CrowdReading, Temple
from tests.conftest import assert_error, bearer

STOPS = [{"name": "Bus stand", "lat": 20.9077, "lng": 70.3672},
         {"name": "Bhalka Tirth", "lat": 20.8995, "lng": 70.3888},
         {"name": "Temple gate", "lat": 20.8869, "lng": 70.4016}]


def make_shuttle(client, op):
    route = client.post("/api/v1/temples/somnath/routes", json={"name": "Veraval loop", "stops": STOPS}, headers=op)
    assert route.status_code == 201
    shuttle = client.post("/api/v1/shuttles", json={"route_id": route.get_json()["id"], "name": "S1", "capacity": 40},
                          headers=op)
    assert shuttle.status_code == 201
    return shuttle.get_json()["id"]


def test_shuttle_positions_eta_and_live_updates(app, client, temple, auth_headers, device_key):  # PW-13
    op = auth_headers("operator")
    shuttle_id = make_shuttle(client, op)
    watcher = socketio.test_client(app)
    watcher.emit("subscribe", {"channel": "transport", "temple_id": "somnath"}, callback=True)
    assert_error(client.get(f"/api/v1/shuttles/{shuttle_id}/eta"), 422)  # no position yet
    key = {"X-Device-Key": device_key("shuttle")}
    start = utcnow()
    with freeze_time(start) as frozen:
        assert client.post(f"/api/v1/shuttles/{shuttle_id}/position",
                           json={"lat": 20.9077, "lng": 70.3672, "passengers": 12}, headers=key).status_code == 201
        default_eta = client.get(f"/api/v1/shuttles/{shuttle_id}/eta").get_json()
        assert [e["stop"] for e in default_eta] == ["Bhalka Tirth", "Temple gate"]
        first_leg = default_eta[0]["distance_m"]
        assert 2300 < first_leg < 2600 and abs(default_eta[0]["eta_seconds"] - first_leg / (20 / 3.6)) < 2
        frozen.tick(timedelta(minutes=2))
        # half-way along the first leg after two minutes: about 10 m/s
        client.post(f"/api/v1/shuttles/{shuttle_id}/position", json={"lat": 20.9036, "lng": 70.3780}, headers=key)
        eta = client.get(f"/api/v1/shuttles/{shuttle_id}/eta").get_json()
    assert eta[0]["stop"] == "Bhalka Tirth" and 1100 < eta[0]["distance_m"] < 1350
    assert 100 < eta[0]["eta_seconds"] < 140
    shuttle = client.get(f"/api/v1/shuttles/{shuttle_id}").get_json()
    assert shuttle["passengers"] == 12 and shuttle["capacity"] == 40 and len(shuttle["route"]["stops"]) == 3
    assert [s["id"] for s in client.get("/api/v1/temples/somnath/shuttles").get_json()] == [shuttle_id]
    events = [e for e in watcher.get_received() if e["name"] == "transport_update"]
    assert len(events) == 2 and events[0]["args"][0]["passengers"] == 12
    assert_error(client.post(f"/api/v1/shuttles/{shuttle_id}/position", json={"lat": 91, "lng": 0}, headers=key), 422)
    assert_error(client.post(f"/api/v1/shuttles/{shuttle_id}/position", json={"lat": 20.9, "lng": 70.4,
                                                                               "passengers": 41}, headers=key), 422)
    assert_error(client.post(f"/api/v1/shuttles/{shuttle_id}/position", json={"lat": 20.9, "lng": 70.4},
                             headers=auth_headers()), 403)


def test_resources_and_maintenance_reminders(client, temple, auth_headers, make_user):  # PW-16
    op = auth_headers("operator")
    make_user("operator", email="duty@sangam.in")
    r = client.post("/api/v1/temples/somnath/resources",
                    json={"kind": "ambulance", "name": "108 ambulance", "quantity": 2,
                          "next_maintenance": (local_today() + timedelta(days=3)).isoformat()}, headers=op)
    assert r.status_code == 201 and r.get_json()["status"] == "available"
    client.post("/api/v1/temples/somnath/resources", json={"kind": "facility", "name": "Water", "quantity": 9,
                                                           "next_maintenance": "2099-01-01"}, headers=op)
    rid = r.get_json()["id"]
    assert client.patch(f"/api/v1/resources/{rid}", json={"status": "in_use"}, headers=op).get_json()["status"] == \
        "in_use"
    assert [x["name"] for x in client.get("/api/v1/temples/somnath/resources?status=in_use",
                                          headers=op).get_json()] == ["108 ambulance"]
    assert_error(client.post("/api/v1/temples/somnath/resources", json={"kind": "boat", "name": "x"}, headers=op), 422)
    assert_error(client.patch("/api/v1/resources/99999", json={"status": "in_use"}, headers=op), 404)
    assert_error(client.get("/api/v1/temples/somnath/resources", headers=auth_headers()), 403)
    service.remind_maintenance_due(within_days=7)
    service.remind_maintenance_due(within_days=7)  # the job running twice sends nothing more
    notes = db.session.query(Notification).filter(Notification.subject.like("Maintenance due%")).all()
    recipients = {n.recipient for n in notes}
    assert "duty@sangam.in" in recipients and all("108 ambulance" in n.subject for n in notes)
    assert len(notes) == len(recipients)


def test_booking_reminder_once_about_two_hours_before(client, slot, make_user):
    user = make_user(email="pilgrim@sangam.in", phone="+919811111111")
    code = client.post("/api/v1/bookings", json={"slot_id": slot.id, "party_size": 2},
                       headers=bearer(user)).get_json()["code"]
    with freeze_time(slot.starts_at - timedelta(hours=3)):
        assert service.send_booking_reminders() == 0
    with freeze_time(slot.starts_at - timedelta(hours=1, minutes=55)):
        assert service.send_booking_reminders() == 2
        assert service.send_booking_reminders() == 0  # the job running twice
    notes = db.session.query(Notification).filter(Notification.dedupe_key.like("booking-reminder:%")).all()
    assert sorted(n.channel for n in notes) == ["email", "sms"]
    assert all(code in n.body for n in notes)
    assert db.session.query(Booking).filter_by(code=code).one().reminded_at is not None


def test_footfall_peak_hours_and_no_shows(client, temple, slot, make_user, auth_headers):  # PW-17
    op_user = make_user("operator")
    user = make_user()
    codes = [client.post("/api/v1/bookings", json={"slot_id": slot.id, "party_size": n},
                         headers=bearer(user)).get_json()["code"] for n in (3, 2)]
    with freeze_time(slot.starts_at + timedelta(minutes=5)):
        booking = db.session.query(Booking).filter_by(code=codes[0]).one()
        client.post("/api/v1/bookings/check-in", json={"token": service.ticket_token(booking)},
                    headers=bearer(op_user))
        service.record_counts(temple_slug=temple.slug, readings=[{"zone": "mainDarshan", "count": 40}])
    with freeze_time(slot.ends_at + timedelta(hours=1)):
        op = bearer(op_user)
        daily = client.get("/api/v1/temples/somnath/analytics/footfall?period=daily", headers=op).get_json()
        assert daily["series"][-1]["checkins"] == 3 and daily["series"][-1]["footfall"] == 3
        monthly = client.get("/api/v1/temples/somnath/analytics/footfall?period=monthly", headers=op).get_json()
        assert sum(x["footfall"] for x in monthly["series"]) == 3
        peaks = client.get("/api/v1/temples/somnath/analytics/peak-hours", headers=op).get_json()
        assert peaks["source"] == "checkins" and peaks["hours"][0]["mean_footfall"] == 3
        shows = client.get("/api/v1/temples/somnath/analytics/bookings", headers=op).get_json()
        assert (shows["booked"], shows["checked_in"], shows["no_show_rate"]) == (5, 3, 0.4)
        for path in ("footfall.png", "peak-hours.png", "bookings.png"):
            png = client.get(f"/api/v1/temples/somnath/analytics/{path}", headers=op)
            assert png.mimetype == "image/png" and png.data[:4] == b"\x89PNG", path
    yearly = "/api/v1/temples/somnath/analytics/footfall?period=yearly"
    assert_error(client.get(yearly, headers=auth_headers("operator")), 422)


def test_bookings_export_own_rows_or_all(client, slot, make_user):  # PW-17, CR-4
    mine, other = make_user(), make_user()
    for user in (mine, other):
        client.post("/api/v1/bookings", json={"slot_id": slot.id, "party_size": 1}, headers=bearer(user))
    job = client.post("/api/v1/reports/exports", json={"dataset": "bookings", "format": "csv"},
                      headers=bearer(mine)).get_json()
    job = client.get(f"/api/v1/reports/exports/{job['id']}", headers=bearer(mine)).get_json()
    text = client.get(job["download_url"], headers=bearer(mine)).get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1 and rows[0]["Temple"] == "Shree Somnath"
    admin = make_user("operator")
    body = {"dataset": "bookings", "format": "csv", "filters": {"temple": "somnath"}}
    job = client.post("/api/v1/reports/exports", json=body, headers=bearer(admin)).get_json()
    assert client.get(f"/api/v1/reports/exports/{job['id']}", headers=bearer(admin)).get_json()["rows"] == 2
    assert_error(client.post("/api/v1/reports/exports", json={"dataset": "crowd", "format": "csv"},
                             headers=bearer(mine)), 403)


def test_seed_demo_has_four_temples_and_is_idempotent(app, client):  # PW-20
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    readings = db.session.query(CrowdReading).count()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert db.session.query(CrowdReading).count() == readings > 0  # a week of counts, made once
    temples = client.get("/api/v1/temples").get_json()
    assert [t["slug"] for t in temples] == ["somnath", "dwarka", "ambaji", "pavagadh"]
    somnath = temples[0]
    assert (somnath["lat"], somnath["lng"], somnath["location"].split(",")[0]) == (20.888, 70.4013, "Veraval")
    assert [z["slug"] for z in somnath["zones"]] == ["mainDarshan", "garbhaGriha", "pradakshina", "museum"]
    assert all(3 <= len(t["zones"]) <= 5 for t in temples)
    slots = client.get("/api/v1/temples/somnath/slots").get_json()
    assert len(slots) == 14 and db.session.query(Temple).count() == 4
    assert client.get("/api/v1/temples/dwarka/shuttles").get_json()[0]["capacity"] == 40
    now = client.get("/api/v1/temples/somnath/crowd/current").get_json()
    assert now["overall"]["count"] > 0 and {z["level"] for z in now["zones"]} <= {"low", "moderate", "high"}
    predicted = client.get("/api/v1/temples/somnath/crowd/predictions?hours=3").get_json()
    assert predicted and not client.get("/api/v1/alerts?active=true").get_json()  # demo crowds never turn critical
