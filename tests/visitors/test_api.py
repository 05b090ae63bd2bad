"""The visitors HTTP contract (API.md "visitors"): paths, roles, bodies, status and error codes (CR-2)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.extensions import db
from app.visitors.models import Block, Card, Person, Visit
from tests.conftest import assert_error, bearer
from tests.visitors.conftest import START, TODAY

VISITS = "/api/v1/visitors/visits"


def body(host_id: int, **overrides) -> dict:
    return {"visitor": {"name": "Ravi Contractor", "phone": "+91 98765 43210", "email": "ravi@builders.example.in",
                        "id_type": "aadhaar", "id_number": "2345 6789 0123"},
            "host_id": host_id, "purpose": "Kitchen plumbing", "expected_at": (START + timedelta(hours=1)).isoformat(),
            **overrides}


@pytest.fixture
def desk(reception):
    return bearer(reception)


@pytest.fixture
def created(client, desk, host):
    r = client.post(VISITS, json=body(host.id), headers=desk)
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_invite_returns_code_token_pass_url_and_status(created, host):  # CR-2
    assert created["status"] == "expected" and created["code"].startswith("VIS-")
    assert created["pass_url"] == f"http://127.0.0.1:5000/api/v1/visits/{created['code']}/pass.pdf?token={created['token']}"
    expected = START + timedelta(hours=1)
    assert created["expected_at"] == expected.isoformat()
    assert created["valid_from"] == (expected - timedelta(minutes=30)).isoformat()
    assert created["valid_until"] == (expected + timedelta(hours=8)).isoformat()
    assert created["host"]["id"] == host.id and created["visitor"]["id_last4"] == "0123"
    assert "id_number" not in created["visitor"]


def test_invite_by_a_host_for_someone_else_is_403(client, host, make_user):
    r = client.post(VISITS, json=body(make_user("user").id), headers=bearer(host))
    assert_error(r, 403, "forbidden")
    assert client.post(VISITS, json=body(host.id), headers=bearer(host)).status_code == 201


@pytest.mark.parametrize("change, field", [
    ({"host_id": "7"}, "host_id"), ({"expected_at": "tomorrow"}, "expected_at"),
    ({"expected_at": "2026-03-09T11:00:00"}, "expected_at"),  # no offset
    ({"purpose": ""}, "purpose"), ({"purpose": "    "}, "purpose"),
    ({"visitor": {"name": "  ", "phone": "9876543210"}}, "visitor"),
    ({"valid_hours": 0}, "valid_hours"), ({"valid_hours": 99}, "valid_hours"),
    ({"visitor": {"name": "X Y"}}, "visitor"), ({"visitor": {"name": "Ok Name", "phone": "1"}}, "visitor"),
    ({"visitor": {"name": "Ok Name", "phone": "+919876543210", "id_type": "aadhaar"}}, "visitor"),
    ({"visitor": {"name": "Ok Name", "phone": "+919876543210", "id_type": "ration"}}, "visitor"),
    ({"surprise": True}, "surprise"), ({"host_id": 999999}, "host_id")])
def test_bad_invitations_are_422_and_change_nothing(client, desk, host, change, field):
    r = client.post(VISITS, json={**body(host.id), **change}, headers=desk)
    errors = assert_error(r, 422, "validation_error")["errors"]
    assert field in errors, errors
    assert count(Visit) == 0 and count(Person) == 0


def test_invite_needs_a_login(client, host):
    assert_error(client.post(VISITS, json=body(host.id)), 401)


def test_validate_check_in_and_out_over_http(client, desk, created, frozen_clock, mailbox, host, reception):  # CR-2
    validate = "/api/v1/visitors/visits/validate"
    r = client.post(validate, json={"token": created["token"]}, headers=desk)
    assert assert_error(r, 400, "invalid_token")["errors"] == {"reason": ["not_yet_valid"]}
    frozen_clock.move_to(START + timedelta(minutes=40))
    desk = bearer(reception)  # access tokens last 15 minutes
    assert client.post(validate, json={"token": created["token"]}, headers=desk).get_json()["code"] == created["code"]
    code = created["code"]
    assert_error(client.post(f"/api/v1/visits/{code}/check-out", headers=desk), 409, "invalid_transition")
    r = client.post(f"/api/v1/visits/{code}/check-in", headers=desk)
    assert r.status_code == 200 and r.get_json()["status"] == "checked_in"
    assert_error(client.post(f"/api/v1/visits/{code}/check-in", headers=desk), 409, "invalid_transition")
    assert [m["Subject"] for m in mailbox.messages if m["To"] == host.email] == \
        ["Your visitor Ravi Contractor has arrived"]
    on_site = client.get("/api/v1/visitors/on-site", headers=desk).get_json()
    assert [(v["code"], v["host"]["name"]) for v in on_site] == [(code, "Test user")]
    r = client.post(f"/api/v1/visits/{code}/check-out", headers=desk)
    assert r.status_code == 200 and r.get_json()["checked_out_at"]
    assert client.get("/api/v1/visitors/on-site", headers=desk).get_json() == []
    r = client.post(validate, json={"token": created["token"]}, headers=desk)
    assert assert_error(r, 400, "invalid_token")["errors"]["reason"] == ["used"]


@pytest.mark.parametrize("token", ["", "garbage", "a" * 2001])
def test_validate_rejects_garbage(client, desk, token):
    r = client.post("/api/v1/visitors/visits/validate", json={"token": token}, headers=desk)
    assert r.status_code in (400, 422)
    if r.status_code == 400:
        assert assert_error(r, 400, "invalid_token")["errors"]["reason"] == ["unknown"]


def test_reception_only_endpoints_refuse_hosts(client, host, created):
    headers = bearer(host)
    code = created["code"]
    assert_error(client.post("/api/v1/visitors/visits/validate", json={"token": created["token"]}, headers=headers),
                 403)
    assert_error(client.post(f"/api/v1/visits/{code}/check-in", headers=headers), 403)
    assert_error(client.get("/api/v1/visitors/on-site", headers=headers), 403)
    assert_error(client.post("/api/v1/visitors/blocklist", json={"phone": "9876543210", "reason": "x" * 5},
                             headers=headers), 403)


def test_unknown_visit_is_404(client, desk):
    assert_error(client.post("/api/v1/visits/VIS-NOSUCH/check-in", headers=desk), 404, "not_found")
    assert_error(client.get("/api/v1/visitors/visits/VIS-NOSUCH", headers=desk), 404)


def test_history_filters_and_hosts_see_their_own(client, desk, host, created, make_user):
    other = make_user("user")
    r = client.post(VISITS, json=body(other.id, visitor={"name": "Anil Electrician", "phone": "9988776655"}),
                    headers=desk)
    assert r.status_code == 201
    everyone = client.get(f"{VISITS}?date={TODAY.isoformat()}", headers=desk)
    assert len(everyone.get_json()) == 2 and '"total": 2' in everyone.headers["X-Pagination"]
    assert [v["code"] for v in client.get(VISITS, headers=bearer(host)).get_json()] == [created["code"]]
    assert client.get(f"{VISITS}?host={other.id}", headers=bearer(host)).get_json()[0]["code"] == created["code"]
    assert client.get(f"{VISITS}?status=checked_in", headers=desk).get_json() == []
    assert client.get(f"{VISITS}?date={TODAY + timedelta(days=1)}", headers=desk).get_json() == []
    assert_error(client.get(f"{VISITS}?status=inside", headers=desk), 422)
    assert_error(client.get(f"{VISITS}/{created['code']}", headers=bearer(other)), 404)
    assert client.get(f"{VISITS}/{created['code']}", headers=bearer(host)).status_code == 200


def test_revoke_by_the_host_then_the_pass_is_refused(client, host, desk, created):
    code = created["code"]
    r = client.post(f"/api/v1/visits/{code}/revoke", json={"reason": "Postponed"}, headers=bearer(host))
    assert r.status_code == 200 and r.get_json()["status"] == "revoked"
    assert_error(client.post(f"/api/v1/visits/{code}/revoke", json={}, headers=bearer(host)), 409,
                 "invalid_transition")
    r = client.post("/api/v1/visitors/visits/validate", json={"token": created["token"]}, headers=desk)
    assert assert_error(r, 400, "invalid_token")["errors"]["reason"] == ["revoked"]


def test_pass_pdf_for_reception_the_host_and_the_link_holder(client, desk, host, created, make_user):
    code = created["code"]
    for headers in (desk, bearer(host)):
        r = client.get(f"/api/v1/visits/{code}/pass.pdf", headers=headers)
        assert r.status_code == 200 and r.mimetype == "application/pdf" and r.data.startswith(b"%PDF")
        assert f'filename="visitor-pass-{code}.pdf"' in r.headers["Content-Disposition"]
    link = created["pass_url"].split("127.0.0.1:5000", 1)[1]
    assert client.get(link).status_code == 200  # the visitor, not logged in
    assert_error(client.get(f"/api/v1/visits/{code}/pass.pdf"), 401)
    assert_error(client.get(f"/api/v1/visits/{code}/pass.pdf", headers=bearer(make_user("user"))), 404)
    assert_error(client.get(f"/api/v1/visits/{code}/pass.pdf?token=forged"), 400, "invalid_token")


def test_blocklist_over_http(client, desk, host, created, frozen_clock, reception):
    r = client.post("/api/v1/visitors/blocklist", json={"person_id": created["visitor"]["person_id"],
                                                        "reason": "Threatened staff"}, headers=desk)
    assert r.status_code == 201 and r.get_json()["id_last4"] == "0123" and r.get_json()["reason"] == "Threatened staff"
    assert_error(client.post("/api/v1/visitors/blocklist", json={"phone": "9876543210", "reason": "Again"},
                             headers=desk), 409, "already_blocked")
    assert_error(client.post(VISITS, json=body(host.id), headers=desk), 409, "visitor_blocked")
    frozen_clock.move_to(START + timedelta(minutes=40))
    desk = bearer(reception)
    r = client.post(f"/api/v1/visits/{created['code']}/check-in", headers=desk)
    assert assert_error(r, 400, "invalid_token")["errors"]["reason"] == ["blocked"]
    assert [b["reason"] for b in client.get("/api/v1/visitors/blocklist", headers=desk).get_json()] == \
        ["Threatened staff"]
    assert client.delete("/api/v1/visitors/blocklist", json={"phone": "+91 98765 43210"}, headers=desk).status_code \
        == 204
    assert_error(client.delete("/api/v1/visitors/blocklist", json={"phone": "+91 98765 43210"}, headers=desk), 404)
    assert_error(client.post("/api/v1/visitors/blocklist", json={"reason": "nobody named"}, headers=desk), 422)
    assert client.post(f"/api/v1/visits/{created['code']}/check-in", headers=desk).status_code == 200


def test_cards_over_http_and_gate_reader_lookup(client, desk, created, device_key):  # CR-1
    person_id = created["visitor"]["person_id"]
    r = client.post("/api/v1/visitors/cards", json={"number": "04:a2:24:1b", "person_id": person_id}, headers=desk)
    assert r.status_code == 201 and r.get_json()["number"] == "04A2241B"
    other = client.post("/api/v1/visitors/people", json={"name": "Anil Electrician", "phone": "9988776655"},
                        headers=desk).get_json()
    assert_error(client.post("/api/v1/visitors/cards", json={"number": "04A2241B", "person_id": other["id"]},
                             headers=desk), 409, "card_taken")
    gate = {"X-Device-Key": device_key("counter")}
    found = client.post("/api/v1/visitors/cards/lookup", json={"number": "04A2241B"}, headers=gate).get_json()
    assert found["person"]["name"] == "Ravi Contractor" and found["blocked"] is False
    assert [v["code"] for v in found["visits"]] == [created["code"]]
    assert_error(client.post("/api/v1/visitors/cards/lookup", json={"number": "FFFF0000"}, headers=gate), 404)
    assert_error(client.post("/api/v1/visitors/cards/lookup", json={"number": "04A2241B"}), 401)
    assert client.delete("/api/v1/visitors/cards/04A2241B", headers=desk).status_code == 204
    assert count(Card) == 0


def test_people_search(client, desk, created):
    found = client.get("/api/v1/visitors/people?q=ravi", headers=desk).get_json()
    assert [p["name"] for p in found] == ["Ravi Contractor"] and "id_hash" not in found[0]
    assert client.get(f"/api/v1/visitors/people/{found[0]['id']}", headers=desk).get_json()["phone"] == "+919876543210"
    assert_error(client.get("/api/v1/visitors/people/99999", headers=desk), 404)
    assert count(Block) == 0
