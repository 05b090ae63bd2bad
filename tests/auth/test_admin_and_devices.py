"""Admin user management (PW-19, VP-4, SC-1) and device keys."""

import json

import pytest

from app.auth.models import Device
from app.core.context import Actor
from app.core.errors import Unauthorized
from app.core.security import authenticate_device
from app.extensions import db
from tests.conftest import assert_error, bearer


def test_roles_401_then_403_then_admin_ok(client, auth_headers):  # one decorator for role checks
    assert_error(client.get("/api/v1/users"), 401, "unauthorized")
    for role in ("user", "operator", "safety_officer", "reception"):
        assert_error(client.get("/api/v1/users", headers=auth_headers(role)), 403, "forbidden")
    r = client.get("/api/v1/users?page=1&page_size=2", headers=auth_headers("admin"))
    assert r.status_code == 200
    assert "X-Pagination" in r.headers and '"total"' in r.headers["X-Pagination"]


def test_admin_creates_staff_changes_role_and_filters(client, auth_headers):
    admin = auth_headers("admin")
    r = client.post("/api/v1/users", json={"email": "op@sangam.in", "password": "Operat0r-pass", "full_name": "Op",
                                           "role": "operator"}, headers=admin)
    assert r.status_code == 201 and r.get_json()["role"] == "operator"
    uid = r.get_json()["id"]
    assert_error(client.post("/api/v1/users", json={"email": "x@sangam.in", "password": "Operat0r-pass",
                                                    "full_name": "X", "role": "king"}, headers=admin), 422)
    r = client.patch(f"/api/v1/users/{uid}", json={"role": "safety_officer"}, headers=admin)
    assert r.get_json()["role"] == "safety_officer"
    r = client.get("/api/v1/users?role=safety_officer", headers=admin)
    assert [u["email"] for u in r.get_json()] == ["op@sangam.in"]
    assert client.get(f"/api/v1/users/{uid}", headers=admin).get_json()["email"] == "op@sangam.in"
    assert_error(client.get("/api/v1/users/999999", headers=admin), 404, "not_found")


def test_deactivated_users_tokens_stop_working(client, make_user):
    admin = bearer(make_user("admin"))
    victim = make_user()
    headers = bearer(victim)
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 200
    assert client.delete(f"/api/v1/users/{victim.id}", headers=admin).status_code == 204
    assert_error(client.get("/api/v1/auth/me", headers=headers), 401)
    assert client.post("/api/v1/auth/login", json={"email": victim.email, "password": "Correct-h0rse-battery"}
                       ).status_code == 401
    # reactivation lets the user log in again, but does not revive the tokens of before
    assert client.patch(f"/api/v1/users/{victim.id}", json={"is_active": True}, headers=admin).status_code == 200
    assert_error(client.get("/api/v1/auth/me", headers=headers), 401, "token_revoked")
    assert client.post("/api/v1/auth/login", json={"email": victim.email, "password": "Correct-h0rse-battery"}
                       ).status_code == 200


def test_role_change_applies_to_existing_tokens(client, make_user):
    admin = bearer(make_user("admin"))
    op = make_user("operator")
    headers = bearer(op)
    client.patch(f"/api/v1/users/{op.id}", json={"role": "user"}, headers=admin)
    assert_error(client.get("/api/v1/devices", headers=headers), 403)


def test_admin_cannot_deactivate_or_demote_self(client, make_user):
    admin = make_user("admin")
    headers = bearer(admin)
    assert_error(client.delete(f"/api/v1/users/{admin.id}", headers=headers), 409, "self_change")
    assert_error(client.patch(f"/api/v1/users/{admin.id}", json={"role": "user"}, headers=headers), 409)


def test_device_key_shown_once_and_stored_hashed(client, auth_headers):
    admin = auth_headers("admin")
    r = client.post("/api/v1/devices", json={"name": "Gate counter 1", "kind": "counter"}, headers=admin)
    assert r.status_code == 201
    body = r.get_json()
    key = body["key"]
    assert key.startswith("sk_") and len(key) > 30
    device = db.session.get(Device, body["id"])
    assert key not in (device.key_hash, device.key_prefix) and len(device.key_hash) == 64
    listed = client.get("/api/v1/devices", headers=admin).get_json()
    assert all("key" not in d for d in listed) and listed[0]["name"] == "Gate counter 1"
    assert_error(client.post("/api/v1/devices", json={"name": "x", "kind": "toaster"}, headers=admin), 422)
    assert_error(client.post("/api/v1/devices", json={"name": "x", "kind": "sign"}, headers=auth_headers("operator")),
                 403)


def test_device_key_decorator_accepts_good_and_refuses_bad_or_revoked(app, client, auth_headers, device_key):
    key = device_key("counter")
    with app.test_request_context(headers={"X-Device-Key": key}):
        assert authenticate_device().kind == "counter"
    for bad in ("sk_wrong", ""):
        with app.test_request_context(headers={"X-Device-Key": bad}), pytest.raises(Unauthorized):
            authenticate_device()
    device = db.session.query(Device).one()
    assert client.delete(f"/api/v1/devices/{device.id}", headers=auth_headers("admin")).status_code == 204
    with app.test_request_context(headers={"X-Device-Key": key}), pytest.raises(Unauthorized):
        authenticate_device()
    assert_error(client.delete(f"/api/v1/devices/{device.id}", headers=auth_headers("admin")), 404)


def test_device_or_roles_accepts_a_device_or_a_role_and_refuses_others(app, make_user, device_key):
    """The decorators themselves, called inside a request context (routes cannot be added late)."""
    from flask_jwt_extended.exceptions import NoAuthorizationError

    from app.core.context import current_actor
    from app.core.errors import Forbidden
    from app.core.security import device_or_roles, device_required

    @device_or_roles("operator")
    def for_devices_or_operators():
        return current_actor()

    @device_required
    def for_devices_only():
        return current_actor()

    key = device_key("counter")
    with app.test_request_context(headers={"X-Device-Key": key}):
        assert for_devices_or_operators().kind == "device"
        assert for_devices_only().label == "test counter"
    operator = make_user("operator")
    with app.test_request_context(headers=bearer(operator)):
        assert for_devices_or_operators() == Actor("user", operator.id, operator.email)
        with pytest.raises(Unauthorized):
            for_devices_only()
    with app.test_request_context(headers=bearer(make_user("reception"))), pytest.raises(Forbidden):
        for_devices_or_operators()
    with app.test_request_context(headers={"X-Device-Key": "sk_not-a-key"}), pytest.raises(Unauthorized) as exc:
        for_devices_or_operators()
    assert exc.value.error == "invalid_device_key"
    with app.test_request_context(), pytest.raises(NoAuthorizationError):
        for_devices_or_operators()


def test_staff_created_by_admin_can_log_in_with_their_role(client, auth_headers):  # SC-1
    admin = auth_headers("admin")
    staff = {"email": "desk@sangam.in", "password": "Recepti0n-desk", "full_name": "Desk", "role": "reception"}
    assert client.post("/api/v1/users", json=staff, headers=admin).status_code == 201
    assert_error(client.post("/api/v1/users", json=staff, headers=admin), 409, "email_taken")
    r = client.post("/api/v1/auth/login", json={"email": staff["email"], "password": staff["password"]})
    assert r.status_code == 200 and r.get_json()["user"]["role"] == "reception"
    weak = client.post("/api/v1/users", json={**staff, "email": "weak@sangam.in", "password": "abcdefghij"},
                       headers=admin)
    assert assert_error(weak, 422)["errors"]["password"] == ["Password must contain at least one letter and one digit."]


def test_users_list_pages_with_x_pagination(client, make_user):  # VP-4
    admin = make_user("admin")
    for _ in range(4):
        make_user()
    r = client.get("/api/v1/users?page=2&page_size=2", headers=bearer(admin))
    assert r.status_code == 200 and len(r.get_json()) == 2
    page = json.loads(r.headers["X-Pagination"])
    assert page["total"] == 5 and page["total_pages"] == 3 and page["page"] == 2
    assert page["previous_page"] == 1 and page["next_page"] == 3
    assert_error(client.get("/api/v1/users?page_size=101", headers=bearer(admin)), 422, "validation_error")
