"""The public reads answered from the response cache (issue 14): fresh after a write, never per user."""

from datetime import timedelta

from freezegun import freeze_time

from app.core.timeutil import utcnow
from tests.conftest import bearer
from tests.temples.test_bookings import book


def _slots(client, day, **headers):
    return client.get(f"/api/v1/temples/somnath/slots?date={day}", headers=headers)


def _seats(response, slot_id):
    return next(x for x in response.get_json() if x["id"] == slot_id)["available"]


def test_a_booking_is_seen_by_the_next_slots_read(client, slot, make_user, today):
    day = slot.starts_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Kolkata")).date()
    first = _slots(client, day)
    assert _seats(first, slot.id) == 10
    assert _slots(client, day).data == first.data  # a stored answer, the same bytes
    assert book(client, bearer(make_user()), slot.id, party=3).status_code == 201
    assert _seats(_slots(client, day), slot.id) == 7  # the committed booking made the next read fresh
    assert book(client, bearer(make_user()), slot.id, party=2).status_code == 201
    assert _seats(_slots(client, day), slot.id) == 5


def test_a_stored_answer_is_the_same_bytes_and_headers_for_everyone(client, slot, make_user):
    day = slot.starts_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Kolkata")).date()
    token = bearer(make_user())
    with_token = _slots(client, day, **token)  # computed for a caller with a token: the public answer
    anonymous = _slots(client, day)
    assert with_token.status_code == anonymous.status_code == 200
    assert with_token.data == anonymous.data
    assert anonymous.headers["Content-Type"] == "application/json"
    assert anonymous.headers["X-Request-ID"] != with_token.headers["X-Request-ID"]  # hooks still run per request
    assert anonymous.headers["X-Content-Type-Options"] == "nosniff"
    assert token["Authorization"].split()[1].encode() not in anonymous.data
    assert "Authorization" not in anonymous.headers and "Set-Cookie" not in anonymous.headers


def test_a_slot_that_starts_closes_in_the_stored_answer(client, slot):
    day = slot.starts_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Kolkata")).date()
    with freeze_time(slot.starts_at - timedelta(seconds=20)):  # well within the answer's 60 s timeout
        assert next(x for x in _slots(client, day).get_json() if x["id"] == slot.id)["status"] == "open"
    with freeze_time(slot.starts_at + timedelta(seconds=1)):
        started = next(x for x in _slots(client, day).get_json() if x["id"] == slot.id)
        assert started["status"] == "closed" and started["available"] == 0
    assert utcnow() < slot.starts_at


def test_bad_query_is_refused_each_time_and_never_stored(client, temple):
    for _ in range(2):
        r = client.get("/api/v1/temples/somnath/slots?date=not-a-date")
        assert r.status_code == 422 and r.get_json()["error"] == "validation_error"
    assert client.get("/api/v1/temples/nowhere/slots").status_code == 404
    assert client.get("/api/v1/temples/nowhere/slots").status_code == 404


def test_a_new_zone_is_seen_by_the_next_temples_read(client, temple, auth_headers):
    assert [z["slug"] for z in client.get("/api/v1/temples/somnath").get_json()["zones"]] == [
        "mainDarshan", "garbhaGriha"]
    listed = client.get("/api/v1/temples").data
    r = client.post("/api/v1/temples/somnath/zones", json={"slug": "queueHall", "name": "Queue hall", "capacity": 50},
                    headers=auth_headers("admin"))
    assert r.status_code == 201
    assert "queueHall" in [z["slug"] for z in client.get("/api/v1/temples/somnath").get_json()["zones"]]
    assert client.get("/api/v1/temples").data != listed
