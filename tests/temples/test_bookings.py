"""Darshan slots and bookings (PW-2 … PW-6)."""

import io
from datetime import timedelta

from freezegun import freeze_time
from pypdf import PdfReader

from app.core.timeutil import utcnow
from app.extensions import db
from app.temples.models import Booking, DarshanSlot
from app.temples.service import ticket_token
from tests.conftest import assert_error, bearer


def book(client, headers, slot_id, party=2, **extra):
    visitors = [{"name": f"Visitor {i}"} for i in range(party)]
    return client.post("/api/v1/bookings", json={"slot_id": slot_id, "party_size": party, "visitors": visitors},
                       headers={**headers, **extra})


def test_temples_listed_publicly(client, temple):  # PW-20
    [listed] = client.get("/api/v1/temples").get_json()
    assert listed["slug"] == "somnath" and listed["lat"] == 20.888 and listed["timezone"] == "Asia/Kolkata"
    assert [z["slug"] for z in listed["zones"]] == ["mainDarshan", "garbhaGriha"]
    assert_error(client.get("/api/v1/temples/nowhere"), 404, "not_found")


def test_admin_adds_temple_and_zone(client, auth_headers):
    admin = auth_headers("admin")
    r = client.post("/api/v1/temples", json={"slug": "ambaji", "name": "Ambaji", "location": "Ambaji", "lat": 24.33,
                                             "lng": 72.85, "zones": [{"slug": "main", "name": "Main",
                                                                      "capacity": 500}]}, headers=admin)
    assert r.status_code == 201 and r.get_json()["zones"][0]["capacity"] == 500
    assert client.post("/api/v1/temples/ambaji/zones", json={"slug": "chachar", "name": "Chachar", "capacity": 900},
                       headers=admin).status_code == 201
    assert_error(client.post("/api/v1/temples/ambaji/zones", json={"slug": "chachar", "name": "x", "capacity": 1},
                             headers=admin), 409)
    assert_error(client.post("/api/v1/temples", json={"slug": "x"}, headers=auth_headers("operator")), 403)


def test_generate_slots_without_duplicates_and_availability(client, temple, auth_headers, today):  # PW-3, PW-4
    op = auth_headers("operator")
    body = {"date_from": today.isoformat(), "date_to": (today + timedelta(days=1)).isoformat(),
            "start_time": "06:00", "end_time": "08:00", "slot_minutes": 30, "capacity": 50}
    r = client.post("/api/v1/temples/somnath/slots", json=body, headers=op)
    assert r.status_code == 201 and len(r.get_json()) == 8
    assert client.post("/api/v1/temples/somnath/slots", json=body, headers=op).get_json() == []  # kept, not duplicated
    slots = client.get(f"/api/v1/temples/somnath/slots?date={today.isoformat()}").get_json()
    assert len(slots) == 4 and slots[0]["starts_at"].endswith("+00:00")
    assert slots[0]["starts_at"][11:16] == "00:30"  # 06:00 IST is 00:30 UTC
    assert slots[0]["available"] == 50 and slots[0]["status"] == "open"
    assert_error(client.post("/api/v1/temples/somnath/slots", json={**body, "end_time": "05:00"}, headers=op), 422)
    assert_error(client.post("/api/v1/temples/somnath/slots", json=body, headers=auth_headers("user")), 403)


def test_book_and_fetch(client, slot, auth_headers):  # PW-2, PW-5
    headers = auth_headers()
    r = book(client, headers, slot.id, party=3)
    assert r.status_code == 201
    booking = r.get_json()
    assert booking["status"] == "confirmed" and booking["party_size"] == 3
    assert booking["code"].startswith("SOM-") and len(booking["code"]) == 10
    assert booking["qr_url"].endswith("/qr.png") and booking["ticket_url"].endswith("/ticket.pdf")
    assert booking["slot"]["booked"] == 3 and booking["slot"]["available"] == 7
    assert client.get(f"/api/v1/bookings/{booking['code']}", headers=headers).get_json()["id"] == booking["id"]
    assert [b["code"] for b in client.get("/api/v1/bookings/mine", headers=headers).get_json()] == [booking["code"]]
    # someone else sees nothing; an operator sees it
    assert_error(client.get(f"/api/v1/bookings/{booking['code']}", headers=auth_headers()), 404)
    assert client.get(f"/api/v1/bookings/{booking['code']}", headers=auth_headers("operator")).status_code == 200


def test_slot_full_and_validation(client, slot, auth_headers):  # PW-3
    headers = auth_headers()
    assert book(client, headers, slot.id, party=8).status_code == 201
    body = assert_error(book(client, headers, slot.id, party=3), 409, "slot_full")
    assert "2 seats" in body["message"]
    assert_error(book(client, headers, slot.id, party=11), 422)
    assert_error(book(client, headers, slot.id, party=0), 422)
    assert_error(client.post("/api/v1/bookings", json={"slot_id": slot.id, "party_size": 2,
                                                       "visitors": [{"name": "One"}]}, headers=headers), 422)
    assert_error(book(client, headers, 999999), 404)
    assert_error(client.post("/api/v1/bookings", json={"slot_id": slot.id, "party_size": 1}), 401)


def test_idempotency_key_returns_same_booking(client, slot, auth_headers):  # PW-2
    headers = auth_headers()
    first = book(client, headers, slot.id, 2, **{"Idempotency-Key": "abc-1"}).get_json()
    again = book(client, headers, slot.id, 2, **{"Idempotency-Key": "abc-1"})
    assert again.status_code == 201 and again.get_json()["code"] == first["code"]
    assert db.session.get(DarshanSlot, slot.id).booked == 2
    too_long = assert_error(book(client, headers, slot.id, 2, **{"Idempotency-Key": "k" * 81}), 422)
    assert too_long["errors"] == {"Idempotency-Key": ["At most 80 characters."]}
    assert db.session.get(DarshanSlot, slot.id).booked == 2
    # the same key with another body is not a retry: it is refused, and books nothing (the audit got the first booking)
    assert_error(book(client, headers, slot.id, 3, **{"Idempotency-Key": "abc-1"}), 409, "idempotency_mismatch")
    assert db.session.get(DarshanSlot, slot.id).booked == 2
    # a failed first try is kept too: a retry of a full slot's request gets the same 409
    full = auth_headers()
    for _ in range(2):
        assert_error(book(client, full, slot.id, 10, **{"Idempotency-Key": "big-party"}), 409, "slot_full")


def test_closed_slot_and_capacity_change(client, slot, auth_headers):  # PW-3
    op, user = auth_headers("operator"), auth_headers()
    book(client, user, slot.id, party=4)
    assert_error(client.patch(f"/api/v1/slots/{slot.id}", json={"capacity": 3}, headers=op), 409)
    assert client.patch(f"/api/v1/slots/{slot.id}", json={"capacity": 20}, headers=op).get_json()["available"] == 16
    assert client.patch(f"/api/v1/slots/{slot.id}", json={"status": "closed"}, headers=op).status_code == 200
    assert_error(book(client, user, slot.id, 1), 409, "slot_closed")


def test_cancel_frees_seats_and_rules(client, slot, make_user):  # PW-5
    user = make_user()
    headers = bearer(user)
    code = book(client, headers, slot.id, party=4).get_json()["code"]
    r = client.post(f"/api/v1/bookings/{code}/cancel", headers=headers)
    assert r.status_code == 200 and r.get_json()["status"] == "cancelled"
    assert db.session.get(DarshanSlot, slot.id).booked == 0
    assert_error(client.post(f"/api/v1/bookings/{code}/cancel", headers=headers), 409)
    code = book(client, headers, slot.id, party=1).get_json()["code"]
    with freeze_time(slot.starts_at + timedelta(minutes=1)):
        assert_error(client.post(f"/api/v1/bookings/{code}/cancel", headers=bearer(user)), 409, "slot_past")


def test_qr_png_and_ticket_pdf(client, slot, auth_headers):  # PW-2
    headers = auth_headers()
    code = book(client, headers, slot.id, party=2).get_json()["code"]
    qr = client.get(f"/api/v1/bookings/{code}/qr.png", headers=headers)
    assert qr.status_code == 200 and qr.mimetype == "image/png" and qr.data[:8] == b"\x89PNG\r\n\x1a\n"
    pdf = client.get(f"/api/v1/bookings/{code}/ticket.pdf", headers=headers)
    assert pdf.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert "Shree Somnath" in text and code in text and "Party: 2 people" in text and "Visitor 1" in text
    assert_error(client.get(f"/api/v1/bookings/{code}/qr.png", headers=auth_headers("operator")), 404)


def test_check_in_once(client, slot, make_user):  # PW-6
    user, operator = make_user(), make_user("operator")
    headers = bearer(user)
    code = book(client, headers, slot.id, party=2).get_json()["code"]
    token = ticket_token(db.session.query(Booking).filter_by(code=code).one())
    assert_error(client.post("/api/v1/bookings/check-in", json={"token": token}, headers=headers), 403)
    day = slot.starts_at
    with freeze_time(day - timedelta(minutes=30)):
        op = bearer(operator)
        r = client.post("/api/v1/bookings/check-in", json={"token": token}, headers=op)
        assert r.status_code == 200 and r.get_json()["status"] == "checked_in" and r.get_json()["checked_in_at"]
        assert_error(client.post("/api/v1/bookings/check-in", json={"token": token}, headers=op), 409, "ticket_used")
        assert_error(client.post("/api/v1/bookings/check-in", json={"token": token + "x"}, headers=op), 400,
                     "invalid_token")
        assert_error(client.post(f"/api/v1/bookings/{code}/cancel", headers=bearer(user)), 409)


def test_check_in_refused_on_another_date_or_cancelled(client, slot, make_user):  # PW-6
    headers, operator = bearer(make_user()), make_user("operator")
    code = book(client, headers, slot.id, party=1).get_json()["code"]
    token = ticket_token(db.session.query(Booking).filter_by(code=code).one())
    with freeze_time(slot.starts_at - timedelta(days=2)):
        assert_error(client.post("/api/v1/bookings/check-in", json={"token": token}, headers=bearer(operator)),
                     409, "wrong_date")
    client.post(f"/api/v1/bookings/{code}/cancel", headers=headers)
    with freeze_time(slot.starts_at - timedelta(minutes=10)):
        assert_error(client.post("/api/v1/bookings/check-in", json={"token": token}, headers=bearer(operator)),
                     409, "booking_cancelled")


def test_booking_created_is_audited(client, slot, make_user):
    from app.core.audit import AuditEntry

    user = make_user()
    code = book(client, bearer(user), slot.id, party=2).get_json()["code"]
    entry = db.session.query(AuditEntry).filter_by(entity="booking", entity_id=code).one()
    assert entry.actor_id == user.id and entry.changes["party_size"] == [None, 2]


def test_past_slot_cannot_be_booked(client, slot, make_user, today):  # PW-4
    user = make_user()
    with freeze_time(slot.starts_at + timedelta(minutes=5)):
        assert_error(book(client, bearer(user), slot.id, 1), 409, "slot_closed")
        day = slot.starts_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Kolkata")).date()
        listed = client.get(f"/api/v1/temples/somnath/slots?date={day}").get_json()
        started = next(x for x in listed if x["id"] == slot.id)
        assert started["status"] == "closed" and started["available"] == 0
    assert utcnow() < slot.starts_at
