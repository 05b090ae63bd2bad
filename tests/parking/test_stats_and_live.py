"""Figures (VP-2, VP-4, VP-5), their caches (VP-10) and live parking_update events."""

from datetime import UTC, datetime, timedelta

from freezegun import freeze_time

from app.extensions import socketio
from tests.conftest import assert_error, bearer
from tests.parking.conftest import LOTS, RESERVATIONS, lot_body

T0 = datetime(2025, 6, 10, 4, 30, tzinfo=UTC)  # 10:00 city time


def release(client, user, res_id):
    r = client.post(f"{RESERVATIONS}/{res_id}/release", headers=bearer(user))
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_my_stats(client, make_lot, make_user, park):  # VP-5
    user = make_user()
    somnath, dwarka = make_lot(name="Somnath", price_per_hour="30.00"), make_lot(name="Dwarka", price_per_hour="50")
    empty = client.get("/api/v1/parking/me/stats", headers=bearer(user)).get_json()
    assert empty == {"bookings": 0, "total_spent": "0.00", "hours_parked": 0.0, "most_used_lot": None,
                     "active_reservation": None}
    for lot, hours in ((somnath, 2), (dwarka, 1), (somnath, 3)):
        with freeze_time(T0):
            res = park(bearer(user), lot["id"]).get_json()
        with freeze_time(T0 + timedelta(hours=hours, minutes=-30)):
            release(client, user, res["id"])
    with freeze_time(T0 + timedelta(hours=1)):
        active = park(bearer(user), dwarka["id"]).get_json()
        stats = client.get("/api/v1/parking/me/stats", headers=bearer(user)).get_json()
    assert stats["bookings"] == 4 and stats["total_spent"] == f"{30 * 2 + 50 * 1 + 30 * 3:.2f}"
    assert stats["hours_parked"] == 4.5  # 1.5 + 0.5 + 2.5, the active one just started
    assert stats["most_used_lot"] == {"id": somnath["id"], "name": "Somnath", "reservations": 2}
    assert stats["active_reservation"]["id"] == active["id"]


def test_my_stats_are_fresh_after_park_and_release(client, make_lot, make_user, park):  # VP-10
    user = make_user()
    lot = make_lot()
    url = "/api/v1/parking/me/stats"
    assert client.get(url, headers=bearer(user)).get_json()["bookings"] == 0  # cached now
    res = park(bearer(user), lot["id"]).get_json()
    after_park = client.get(url, headers=bearer(user)).get_json()
    assert after_park["bookings"] == 1 and after_park["active_reservation"]["id"] == res["id"]
    release(client, user, res["id"])
    after_release = client.get(url, headers=bearer(user)).get_json()
    assert after_release["active_reservation"] is None and after_release["total_spent"] == "30.00"


def test_public_lots_are_fresh_after_each_change(client, make_lot, make_user, park, admin_headers):  # VP-10
    lot = make_lot(total_spots=2)
    assert client.get(LOTS).get_json()[0]["available_spots"] == 2  # cached now
    user = make_user()
    res = park(bearer(user), lot["id"]).get_json()
    assert client.get(LOTS).get_json()[0]["available_spots"] == 1
    release(client, user, res["id"])
    assert client.get(LOTS).get_json()[0]["available_spots"] == 2
    client.put(f"{LOTS}/{lot['id']}", json=lot_body(total_spots=7, name="Bigger"), headers=admin_headers)
    assert client.get(LOTS).get_json()[0] | {} == {**lot, "name": "Bigger", "total_spots": 7, "available_spots": 7}


def test_admin_stats_in_city_time_and_fresh_after_changes(client, make_lot, make_user, park, admin):  # VP-2, VP-10
    a, b = make_lot(name="A", total_spots=4, price_per_hour="10"), make_lot(name="B", total_spots=2)
    driver = make_user()
    # Parked and released at 00:10 and 00:40 IST on 10 June (still 9 June in UTC): counts as today.
    with freeze_time(datetime(2025, 6, 9, 18, 40, tzinfo=UTC)):
        res = park(bearer(driver), a["id"]).get_json()
    with freeze_time(datetime(2025, 6, 9, 19, 10, tzinfo=UTC)):
        release(client, driver, res["id"])
    # Released on 31 May IST: last month, not in this month's revenue.
    with freeze_time(datetime(2025, 5, 31, 10, 0, tzinfo=UTC)):
        res = park(bearer(driver), b["id"]).get_json()
        release(client, driver, res["id"])
    with freeze_time(datetime(2025, 6, 2, 10, 0, tzinfo=UTC)):
        res = park(bearer(driver), b["id"]).get_json()
        release(client, driver, res["id"])
    with freeze_time(T0):
        park(bearer(driver), b["id"])
        stats = client.get("/api/v1/parking/stats", headers=bearer(admin)).get_json()
    assert stats["revenue"] == {"today": "10.00", "month": "40.00"}
    assert stats["active_reservations"] == 1 and stats["reservations_today"] == 2
    assert stats["users"] == 2  # the admin and the driver
    assert stats["lots"] == [
        {"id": a["id"], "name": "A", "total_spots": 4, "occupied": 0, "available": 4, "occupancy_pct": 0.0},
        {"id": b["id"], "name": "B", "total_spots": 2, "occupied": 1, "available": 1, "occupancy_pct": 50.0}]
    with freeze_time(T0):
        park(bearer(make_user()), a["id"])  # a new user and a new reservation: no stale figure
        fresh = client.get("/api/v1/parking/stats", headers=bearer(admin)).get_json()
    assert fresh["active_reservations"] == 2 and fresh["users"] == 3 and fresh["lots"][0]["occupied"] == 1


def test_stats_and_activity_are_admin_only(client, auth_headers):  # VP-2
    for url in ("/api/v1/parking/stats", "/api/v1/parking/recent-activity"):
        assert_error(client.get(url, headers=auth_headers("user")), 403, "forbidden")
        assert_error(client.get(url), 401)
    assert_error(client.get("/api/v1/parking/me/stats"), 401)


def test_recent_activity_lists_parks_and_releases_newest_first(client, make_lot, make_user, park, admin):  # VP-2
    lot = make_lot(name="Somnath")
    u1, u2 = make_user(), make_user()
    with freeze_time(T0):
        r1 = park(bearer(u1), lot["id"]).get_json()
    with freeze_time(T0 + timedelta(minutes=5)):
        r2 = park(bearer(u2), lot["id"], "MH12XY9999").get_json()
    with freeze_time(T0 + timedelta(minutes=10)):
        release(client, u1, r1["id"])
    items = client.get("/api/v1/parking/recent-activity?limit=10", headers=bearer(admin)).get_json()
    assert [(i["kind"], i["reservation_id"]) for i in items] == [("release", r1["id"]), ("park", r2["id"]),
                                                                  ("park", r1["id"])]
    assert items[0]["cost"] == "30.00" and items[0]["lot"] == "Somnath" and items[1]["vehicle_number"] == "MH12XY9999"
    assert len(client.get("/api/v1/parking/recent-activity?limit=2", headers=bearer(admin)).get_json()) == 2
    assert_error(client.get("/api/v1/parking/recent-activity?limit=0", headers=bearer(admin)), 422)


def test_park_and_release_push_parking_update(app, client, make_lot, make_user, park):  # VP-6 live
    lot = make_lot(total_spots=2)
    watcher = socketio.test_client(app)
    assert watcher.emit("subscribe", {"channel": "parking"}, callback=True) == {"ok": True, "room": "parking"}
    [snapshot] = watcher.get_received()
    assert snapshot["name"] == "parking_update"
    assert snapshot["args"][0]["lots"] == [{"lot_id": lot["id"], "name": lot["name"], "total_spots": 2,
                                            "available_spots": 2, "action": "snapshot"}]
    user = make_user()
    res = park(bearer(user), lot["id"]).get_json()
    release(client, user, res["id"])
    events = watcher.get_received()
    assert [e["name"] for e in events] == ["parking_update", "parking_update"]
    assert [e["args"][0] for e in events] == [
        {"lot_id": lot["id"], "name": lot["name"], "total_spots": 2, "available_spots": 1,
         "action": "reservation_created"},
        {"lot_id": lot["id"], "name": lot["name"], "total_spots": 2, "available_spots": 2,
         "action": "reservation_released"}]


def test_refused_reservation_pushes_nothing(app, make_lot, make_user, park):
    lot = make_lot(total_spots=1)
    park(bearer(make_user()), lot["id"])
    watcher = socketio.test_client(app)
    watcher.emit("subscribe", {"channel": "parking"}, callback=True)
    watcher.get_received()
    assert park(bearer(make_user()), lot["id"]).status_code == 409
    assert watcher.get_received() == []
