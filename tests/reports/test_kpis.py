"""KPIs and trends across domains (API.md "reports": GET /reports/kpis, /reports/trends)."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from freezegun import freeze_time

from app.temples import service
from tests.conftest import assert_error, bearer

# 10 March 2026, 11:00 in Asia/Kolkata. "Yesterday" is 9 March, city time.
NOW = datetime(2026, 3, 10, 5, 30, tzinfo=UTC)
TODAY, YESTERDAY = date(2026, 3, 10), date(2026, 3, 9)
KPIS, TRENDS = "/api/v1/reports/kpis", "/api/v1/reports/trends"


@pytest.fixture
def operator(make_user):
    with freeze_time(NOW):
        return bearer(make_user("operator"))


@pytest.fixture
def slot_id(app):
    temple = service.create_temple(slug="somnath", name="Shree Somnath", location="Veraval", lat=20.888, lng=70.4013,
                                   code_prefix="SOM", zones=[{"slug": "main", "name": "Main", "capacity": 100}])
    [slot] = service.generate_slots(temple_slug=temple.slug, date_from=date(2026, 3, 12), date_to=date(2026, 3, 12),
                                     start_time=time(6, 0), end_time=time(7, 0), slot_minutes=60, capacity=100)
    return slot.id


def book(client, user, slot_id, party):
    r = client.post("/api/v1/bookings", headers=bearer(user), json={
        "slot_id": slot_id, "party_size": party, "visitors": [{"name": f"V{i}"} for i in range(party)]})
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def park(client, user, lot_id):
    r = client.post("/api/v1/parking/reservations", json={"lot_id": lot_id, "vehicle_number": "GJ11AB1234"},
                    headers=bearer(user))
    assert r.status_code == 201, r.get_json()
    return r.get_json()["id"]


def park_and_leave(client, user, lot_id, parked_at, hours):
    with freeze_time(parked_at):
        reservation_id = park(client, user, lot_id)
    with freeze_time(parked_at + timedelta(hours=hours)):
        assert client.post(f"/api/v1/parking/reservations/{reservation_id}/release",
                           headers=bearer(user)).status_code == 200


@pytest.fixture
def activity(client, make_user, slot_id):
    """Bookings, parking and alerts on 9 and 10 March (city time)."""
    pilgrim, admin = make_user(), make_user("admin")
    with freeze_time(datetime(2026, 3, 1, tzinfo=UTC)):
        lot = client.post("/api/v1/parking/lots", headers=bearer(admin), json={
            "name": "Temple Road", "address": "Somnath Temple Road", "pin_code": "362268", "price_per_hour": "30.00",
            "total_spots": 4}).get_json()
    with freeze_time(datetime(2026, 3, 9, 6, 0, tzinfo=UTC)):   # 9 March 11:30 IST
        book(client, pilgrim, slot_id, 2)
    with freeze_time(datetime(2026, 3, 9, 18, 45, tzinfo=UTC)):  # 10 March 00:15 IST: today, though 9 March in UTC
        book(client, pilgrim, slot_id, 3)
    with freeze_time(datetime(2026, 3, 10, 4, 0, tzinfo=UTC)):
        code = book(client, pilgrim, slot_id, 4)["code"]
        assert client.post(f"/api/v1/bookings/{code}/cancel", headers=bearer(pilgrim)).status_code == 200
        r = client.post("/api/v1/alerts", headers=bearer(admin), json={
            "scope": "city", "severity": "critical", "title": "Heavy rain", "message": "Use covered queues."})
        assert r.status_code == 201
    park_and_leave(client, pilgrim, lot["id"], datetime(2026, 3, 9, 8, 0, tzinfo=UTC), hours=2.5)  # 90.00 on 9th
    park_and_leave(client, pilgrim, lot["id"], datetime(2026, 3, 10, 3, 0, tzinfo=UTC), hours=1)   # 30.00 on 10th
    with freeze_time(datetime(2026, 3, 10, 5, 0, tzinfo=UTC)):
        park(client, pilgrim, lot["id"])
    return lot


def by_name(body):
    return {k["name"]: k for k in body["kpis"]}


def test_kpis_compare_today_with_yesterday_in_city_time(client, operator, activity):
    with freeze_time(NOW):
        r = client.get(KPIS, headers=operator)
    assert r.status_code == 200
    body = r.get_json()
    assert body["date"] == "2026-03-10" and body["timezone"] == "Asia/Kolkata"
    kpis = by_name(body)
    assert kpis["temples.bookings"] == {"name": "temples.bookings", "title": "Darshan bookings made",
                                        "domain": "temples", "unit": "count", "kind": "daily", "value": 2,
                                        "previous": 1, "change_pct": 100.0}
    assert kpis["temples.pilgrims_booked"]["value"] == 7 and kpis["temples.pilgrims_booked"]["previous"] == 2
    assert kpis["temples.cancellations"]["value"] == 1 and kpis["temples.cancellations"]["previous"] == 0
    assert kpis["temples.cancellations"]["change_pct"] is None  # nothing to compare with
    assert kpis["parking.revenue"]["value"] == "30.00" and kpis["parking.revenue"]["previous"] == "90.00"
    assert kpis["parking.revenue"]["change_pct"] == -66.7
    assert kpis["parking.reservations"]["value"] == 2 and kpis["parking.reservations"]["previous"] == 1
    assert kpis["parking.occupancy_pct"]["kind"] == "live" and kpis["parking.occupancy_pct"]["value"] == 25.0
    assert kpis["alerts.critical"]["value"] == 1 and kpis["alerts.active"]["value"] == 1


def test_a_past_day_has_no_live_gauges(client, operator, activity):
    with freeze_time(NOW):
        body = client.get(f"{KPIS}?date=2026-03-09", headers=operator).get_json()
    kpis = by_name(body)
    assert body["date"] == "2026-03-09" and {k["kind"] for k in body["kpis"]} == {"daily"}
    assert kpis["temples.bookings"]["value"] == 1 and kpis["temples.bookings"]["previous"] == 0
    assert kpis["parking.revenue"]["value"] == "90.00"


def test_kpis_are_fresh_after_a_write(client, operator, activity, make_user, slot_id):
    with freeze_time(NOW):
        assert by_name(client.get(KPIS, headers=operator).get_json())["temples.bookings"]["value"] == 2
        book(client, make_user(), slot_id, 1)
        assert by_name(client.get(KPIS, headers=operator).get_json())["temples.bookings"]["value"] == 3


def test_trends_give_one_point_per_day_with_zeros(client, operator, activity):
    with freeze_time(NOW):
        r = client.get(f"{TRENDS}?metrics=temples.pilgrims_booked,parking.revenue&from=2026-03-08&to=2026-03-10",
                       headers=operator)
    assert r.status_code == 200
    body = r.get_json()
    assert body["from"] == "2026-03-08" and body["to"] == "2026-03-10"
    series = {s["name"]: s for s in body["series"]}
    assert list(series) == ["temples.pilgrims_booked", "parking.revenue"]
    assert series["temples.pilgrims_booked"]["points"] == [
        {"date": "2026-03-08", "value": 0}, {"date": "2026-03-09", "value": 2}, {"date": "2026-03-10", "value": 7}]
    assert [p["value"] for p in series["parking.revenue"]["points"]] == ["0.00", "90.00", "30.00"]
    assert series["parking.revenue"]["unit"] == "INR"


def test_trends_default_to_the_last_30_days_of_every_daily_metric(client, operator, activity):
    with freeze_time(NOW):
        body = client.get(TRENDS, headers=operator).get_json()
    assert body["from"] == "2026-02-09" and body["to"] == "2026-03-10"
    names = {s["name"] for s in body["series"]}
    assert {"temples.bookings", "parking.revenue", "alerts.raised"} <= names
    assert "parking.occupancy_pct" not in names  # a gauge has no history
    assert all(len(s["points"]) == 30 for s in body["series"])


@pytest.mark.parametrize("query, field", [
    ("?metrics=temples.nothing", "metrics"),
    ("?from=2026-03-10&to=2026-03-01", "from"),
    ("?from=2024-01-01&to=2026-03-10", "from"),
    ("?from=yesterday", "from"),
])
def test_bad_trend_queries_are_422(client, operator, query, field):
    with freeze_time(NOW):
        body = assert_error(client.get(TRENDS + query, headers=operator), 422, "validation_error")
    assert field in str(body["errors"])


def test_kpis_refuse_future_and_bad_dates(client, operator):
    with freeze_time(NOW):
        assert "date" in assert_error(client.get(f"{KPIS}?date=2026-03-11", headers=operator), 422)["errors"]
        assert_error(client.get(f"{KPIS}?date=10-03-2026", headers=operator), 422, "validation_error")


def test_kpis_are_for_operators(client, auth_headers):
    assert_error(client.get(KPIS), 401, "unauthorized")
    assert_error(client.get(KPIS, headers=auth_headers("reception")), 403, "forbidden")
    assert_error(client.get(TRENDS, headers=auth_headers("user")), 403, "forbidden")
    assert client.get(KPIS, headers=auth_headers("admin")).status_code == 200


def test_an_empty_metrics_list_is_422(client, auth_headers):
    body = assert_error(client.get(f"{TRENDS}?metrics=", headers=auth_headers("operator")), 422, "validation_error")
    assert "metrics" in body["errors"]
