"""Operators find bookings by code, phone, name, date and temple (GET /bookings; PW-5, PW-6 console)."""

import itertools
import json
from datetime import timedelta

from freezegun import freeze_time

from app.auth import service as auth_service
from tests.conftest import PASSWORD, assert_error, bearer

EMAILS = (f"pilgrim{n}@search.sangam.in" for n in itertools.count())


def _pilgrim(name, phone):
    return auth_service.register_user(email=next(EMAILS), password=PASSWORD, full_name=name, phone=phone)


def _book(client, user, slot_id, party=2, names=("Asha Patel", "Ravi Patel")):
    r = client.post("/api/v1/bookings", headers=bearer(user), json={
        "slot_id": slot_id, "party_size": party, "visitors": [{"name": n} for n in names[:party]]})
    assert r.status_code == 201, r.text
    return r.get_json()


def _search(client, headers, **query):
    return client.get("/api/v1/bookings", query_string=query, headers=headers)


def test_operator_finds_a_booking_by_phone_however_it_is_typed(client, slot, make_user, auth_headers):
    meera = _pilgrim("Meera Shah", "+91 98250-12345")
    other = make_user(phone="+919876500000")
    mine = _book(client, meera, slot.id)
    _book(client, other, slot.id, party=1)
    op = auth_headers("operator")
    for typed in ("9825012345", "+91 98250 12345", "098250-12345"):
        r = _search(client, op, phone=typed)
        assert r.status_code == 200, r.text
        [found] = r.get_json()
        assert found["code"] == mine["code"] and found["party_size"] == 2 and found["status"] == "confirmed"
        assert found["booker"] == {"id": meera.id, "full_name": "Meera Shah", "phone": "+91 98250-12345"}
        assert found["slot"]["id"] == slot.id and found["slot"]["temple"] == "somnath"
        assert found["checked_in_at"] is None
    assert json.loads(r.headers["X-Pagination"])["total"] == 1
    assert _search(client, op, phone="9000000000").get_json() == []


def test_search_by_code_name_date_and_temple(client, slot, make_user, auth_headers, today):
    pilgrim = _pilgrim("Kiran Desai", "+919811100000")
    booked = _book(client, pilgrim, slot.id, names=("Nila Joshi", "Om Joshi"))
    op = auth_headers("operator")
    assert [b["code"] for b in _search(client, op, code=booked["code"].lower()).get_json()] == [booked["code"]]
    assert [b["code"] for b in _search(client, op, code=booked["code"][:5]).get_json()] == [booked["code"]]
    assert [b["code"] for b in _search(client, op, name="kiran").get_json()] == [booked["code"]]  # the booker
    assert [b["code"] for b in _search(client, op, name="nila jo").get_json()] == [booked["code"]]  # a visitor
    assert _search(client, op, name="nobody here").get_json() == []
    slot_day = slot.starts_at + timedelta(hours=5, minutes=30)  # the slot's day in India
    assert len(_search(client, op, temple="somnath", date=slot_day.date().isoformat()).get_json()) == 1
    later = (slot_day.date() + timedelta(days=3)).isoformat()
    assert _search(client, op, temple="somnath", date=later).get_json() == []
    assert _search(client, op, code=booked["code"], name="someone else").get_json() == []  # every criterion


def test_search_shows_check_in_and_cancel_from_the_result(client, slot, make_user, auth_headers):
    pilgrim = make_user(phone="+919822200000")
    booked = _book(client, pilgrim, slot.id)
    op = auth_headers("operator")
    r = client.post(f"/api/v1/bookings/{booked['code']}/cancel", headers=op)
    assert r.status_code == 200
    [found] = _search(client, op, phone="9822200000").get_json()
    assert found["status"] == "cancelled" and found["cancelled_at"]
    assert client.get(f"/api/v1/temples/somnath/slots?date={found['slot']['starts_at'][:10]}").status_code == 200


def test_search_is_for_operators_and_refuses_bad_queries(client, slot, make_user, auth_headers):
    pilgrim = make_user()
    _book(client, pilgrim, slot.id)
    assert_error(client.get("/api/v1/bookings?phone=9800000000"), 401)
    assert_error(_search(client, bearer(pilgrim), phone="9800000000"), 403)
    assert_error(_search(client, auth_headers("reception"), phone="9800000000"), 403)
    op = auth_headers("operator")
    assert_error(_search(client, op), 422, "validation_error")
    body = assert_error(_search(client, op, phone="12-3"), 422, "validation_error")
    assert "phone" in body["errors"]
    assert_error(_search(client, op, date="not-a-date"), 422, "validation_error")
    assert_error(_search(client, op, temple="nowhere"), 404, "not_found")
    assert_error(_search(client, op, name="%"), 422, "validation_error")  # too short to mean a name
    assert _search(client, op, name="%%").get_json() == []  # wildcards are taken literally
    assert _search(client, auth_headers("admin"), phone="9800000000").status_code == 200


def test_search_pages(client, slot, make_user, auth_headers):
    pilgrim = make_user(phone="+919833300000")
    codes = {_book(client, pilgrim, slot.id, party=1)["code"] for _ in range(3)}
    op = auth_headers("operator")
    first = _search(client, op, phone="9833300000", page_size=2)
    second = _search(client, op, phone="9833300000", page_size=2, page=2)
    assert json.loads(first.headers["X-Pagination"])["total"] == 3
    assert {b["code"] for b in first.get_json() + second.get_json()} == codes


def test_check_in_by_typed_code_when_the_qr_cannot_be_read(client, slot, make_user, auth_headers):  # PW-6
    booked = _book(client, make_user(), slot.id)
    op_user = make_user("operator")
    with freeze_time(slot.starts_at - timedelta(minutes=20)):
        op = bearer(op_user)
        r = client.post("/api/v1/bookings/check-in", json={"code": booked["code"].lower()}, headers=op)
        assert r.status_code == 200, r.text
        assert r.get_json()["status"] == "checked_in" and r.get_json()["checked_in_at"]
        assert_error(client.post("/api/v1/bookings/check-in", json={"code": booked["code"]}, headers=op), 409,
                     "ticket_used")
        assert_error(client.post("/api/v1/bookings/check-in", json={"code": "SOM-NOPE00"}, headers=op), 404,
                     "not_found")
        assert_error(client.post("/api/v1/bookings/check-in", json={}, headers=op), 422, "validation_error")
        assert_error(client.post("/api/v1/bookings/check-in", json={"code": "X", "token": "y"}, headers=op), 422)
        [found] = _search(client, op, code=booked["code"]).get_json()
        assert found["status"] == "checked_in" and found["checked_in_at"]
