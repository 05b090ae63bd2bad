"""The release queue over HTTP (issue 14): operator endpoints, the 202/polling contract, errors; both modes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.timeutil import utcnow
from app.temples import service
from tests.conftest import assert_error, bearer

pytestmark = pytest.mark.usefixtures("queue")


def create(client, headers, temple, slots, **extra):
    body = {"name": "Navratri quota", "opens_at": (utcnow() + timedelta(minutes=1)).isoformat(),
            "slot_ids": [s.id for s in slots], **extra}
    return client.post(f"/api/v1/temples/{temple.slug}/releases", json=body, headers=headers)


@pytest.fixture
def operator(auth_headers):
    return auth_headers("operator")


@pytest.fixture
def live(client, operator, temple, release_slots):
    """An open queued release of the three slots (limit 2 a person)."""
    release = create(client, operator, temple, release_slots).get_json()
    assert client.post(f"/api/v1/releases/{release['id']}/open", headers=operator).status_code == 200
    return release


def book(client, headers, slot_id, party=1, **extra):
    return client.post("/api/v1/bookings", json={"slot_id": slot_id, "party_size": party}, headers={**headers, **extra})


def test_operator_creates_lists_and_changes_a_release(client, operator, temple, release_slots):
    r = create(client, operator, temple, release_slots, per_person_limit=3)
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert (body["status"], body["queued"], body["per_person_limit"], body["temple"]) == ("scheduled", True, 3,
                                                                                        "somnath")
    assert body["seats"] == {"capacity": 30, "booked": 0, "available": 30}
    assert body["queue"] == {"waiting": 0, "admitted": 0, "turned_away": 0}
    assert [s["id"] for s in body["slots"]] == [s.id for s in release_slots]
    assert body["opens_at"].endswith("+00:00")
    listed = client.get("/api/v1/temples/somnath/releases?status=scheduled").get_json()
    assert [x["id"] for x in listed] == [body["id"]]
    assert client.get("/api/v1/temples/somnath/releases?status=open").get_json() == []
    r = client.patch(f"/api/v1/releases/{body['id']}", json={"per_person_limit": 1}, headers=operator)
    assert r.status_code == 200 and r.get_json()["per_person_limit"] == 1
    assert client.get(f"/api/v1/releases/{body['id']}").get_json()["per_person_limit"] == 1  # public


def test_release_input_is_checked(client, operator, auth_headers, temple, release_slots):
    assert_error(create(client, auth_headers("user"), temple, release_slots), 403, "forbidden")
    assert_error(create(client, {}, temple, release_slots), 401)
    assert_error(create(client, operator, temple, []), 422, "validation_error")
    assert_error(create(client, operator, temple, release_slots, per_person_limit=11), 422, "validation_error")
    assert_error(create(client, operator, temple, release_slots, opens_at="2026-03-09T10:00:00"), 422)
    assert_error(create(client, operator, temple, release_slots, opens_at=(utcnow() + timedelta(days=9)).isoformat()),
                 422, "validation_error")
    assert_error(create(client, operator, temple, release_slots, slot_ids=[999999]), 422, "validation_error")
    assert_error(client.post("/api/v1/temples/nowhere/releases", json={"name": "x", "opens_at": utcnow().isoformat(),
                                                                       "slot_ids": [1]}, headers=operator), 404)
    assert create(client, operator, temple, release_slots[:1]).status_code == 201
    assert_error(create(client, operator, temple, release_slots), 409, "slot_in_release")
    assert_error(client.get("/api/v1/releases/999999"), 404, "not_found")
    assert_error(client.post("/api/v1/releases/999999/close", headers=operator), 404, "not_found")
    assert_error(client.get("/api/v1/temples/somnath/releases?status=maybe"), 422, "validation_error")


def test_before_opening_a_release_slot_cannot_be_booked(client, operator, auth_headers, temple, release_slots):
    create(client, operator, temple, release_slots)
    assert_error(book(client, auth_headers(), release_slots[0].id), 409, "release_not_open")


def test_a_queued_booking_answers_202_with_a_ticket_then_polling_gives_the_result(client, auth_headers, live,
                                                                                  release_slots):
    r = book(client, auth_headers(), release_slots[0].id, party=2)
    assert r.status_code == 202, r.get_json()
    ticket = r.get_json()
    assert (ticket["status"], ticket["position"], ticket["number"], ticket["party_size"]) == ("waiting", 1, 1, 2)
    assert ticket["release_id"] == live["id"] and ticket["booking"] is None and len(ticket["ticket"]) > 40
    assert r.headers["Location"] == f"/api/v1/bookings/queue/{ticket['ticket']}"
    assert int(r.headers["Retry-After"]) >= 1
    polled = client.get(r.headers["Location"])  # no login: the signed ticket is the capability
    assert polled.status_code == 200 and polled.get_json()["status"] == "waiting"
    assert polled.get_json()["ticket"] == ticket["ticket"]  # the same ticket in every answer
    service.admit_waiting(release_id=live["id"])
    result = client.get(r.headers["Location"]).get_json()
    assert (result["status"], result["position"], result["error"]) == ("admitted", None, None)
    code = result["booking"]["code"]
    assert result["booking"]["qr_url"] == f"/api/v1/bookings/{code}/qr.png"
    assert result["resolved_at"] and result["poll_after_seconds"] is None


def test_the_admitted_booking_is_the_pilgrims_own(client, make_user, live, release_slots):
    pilgrim = make_user()
    location = book(client, bearer(pilgrim), release_slots[0].id).headers["Location"]
    service.admit_waiting(release_id=live["id"])
    code = client.get(location).get_json()["booking"]["code"]
    mine = client.get("/api/v1/bookings/mine", headers=bearer(pilgrim)).get_json()
    assert [b["code"] for b in mine] == [code] and mine[0]["status"] == "confirmed"
    assert_error(client.get(f"/api/v1/bookings/{code}", headers=bearer(make_user())), 404)


def test_queue_errors(client, auth_headers, live, release_slots, operator):
    headers = auth_headers(phone="9833333333")
    assert book(client, headers, release_slots[0].id).status_code == 202
    assert_error(book(client, headers, release_slots[1].id), 409, "already_queued")
    assert_error(book(client, auth_headers(phone="+91 98333 33333"), release_slots[1].id), 409, "already_queued")
    assert_error(book(client, auth_headers(), release_slots[0].id, party=11), 422, "validation_error")
    assert_error(book(client, auth_headers(), release_slots[0].id, party=0), 422, "validation_error")
    assert_error(book(client, {}, release_slots[0].id), 401)
    assert_error(client.get("/api/v1/bookings/queue/forged.ticket"), 400, "invalid_token")
    service.close_release(release_id=live["id"])
    assert book(client, auth_headers(), release_slots[0].id).status_code == 201  # closed: booked directly


def test_sold_out_answers_everyone_at_once_over_http(client, auth_headers, operator, temple, release_slots):
    client.patch(f"/api/v1/slots/{release_slots[0].id}", json={"capacity": 1}, headers=operator)
    release = create(client, operator, temple, release_slots[:1]).get_json()
    client.post(f"/api/v1/releases/{release['id']}/open", headers=operator)
    locations = [book(client, auth_headers(), release_slots[0].id).headers["Location"] for _ in range(4)]
    service.admit_waiting(release_id=release["id"])
    results = [client.get(url).get_json() for url in locations]
    assert [r["status"] for r in results] == ["admitted", "rejected", "rejected", "rejected"]
    assert {r["error"] for r in results[1:]} == {"sold_out"}
    assert_error(book(client, auth_headers(), release_slots[0].id), 409, "sold_out")
    shown = client.get(f"/api/v1/releases/{release['id']}").get_json()
    assert shown["status"] == "sold_out" and shown["seats"]["available"] == 0
    assert shown["queue"] == {"waiting": 0, "admitted": 1, "turned_away": 3}


def test_a_retried_request_keeps_its_ticket(client, auth_headers, live, release_slots):
    headers = {**auth_headers(), "Idempotency-Key": "rush-1"}
    first, again = book(client, headers, release_slots[0].id), book(client, headers, release_slots[0].id)
    assert first.status_code == again.status_code == 202
    assert again.get_json()["ticket"] == first.get_json()["ticket"] and again.headers["Idempotent-Replayed"] == "true"


def test_normal_bookings_keep_their_contract(client, auth_headers, slot, live):
    r = book(client, auth_headers(), slot.id, party=2)
    assert r.status_code == 201 and r.get_json()["status"] == "confirmed" and r.get_json()["qr_url"]


def test_operator_opens_and_closes(client, operator, auth_headers, temple, release_slots):
    release = create(client, operator, temple, release_slots).get_json()
    assert_error(client.post(f"/api/v1/releases/{release['id']}/open", headers=auth_headers()), 403)
    opened = client.post(f"/api/v1/releases/{release['id']}/open", headers=operator).get_json()
    assert opened["status"] == "open" and opened["opened_at"]
    assert_error(client.post(f"/api/v1/releases/{release['id']}/open", headers=operator), 409, "invalid_transition")
    assert_error(client.patch(f"/api/v1/releases/{release['id']}", json={"name": "x"}, headers=operator), 409,
                 "invalid_transition")
    book(client, auth_headers(), release_slots[0].id)
    assert client.get(f"/api/v1/releases/{release['id']}").get_json()["queue"]["waiting"] == 1
    closed = client.post(f"/api/v1/releases/{release['id']}/close", headers=operator).get_json()
    assert closed["status"] == "closed" and closed["ended_at"]
    assert_error(client.post(f"/api/v1/releases/{release['id']}/close", headers=operator), 409, "invalid_transition")


def test_openapi_documents_the_queue(client):
    spec = client.get("/api/openapi.json").get_json()
    post = spec["paths"]["/api/v1/bookings"]["post"]["responses"]
    assert {"201", "202", "409"} <= set(post)
    assert "/api/v1/bookings/queue/{ticket}" in spec["paths"]
    assert {"sold_out", "already_queued", "release_not_open", "release_limit_reached", "slot_in_release"} <= set(
        spec["components"]["schemas"]["Error"]["properties"]["error"]["enum"])
