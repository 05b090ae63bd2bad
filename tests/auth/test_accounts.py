"""Accounts and sessions (PW-1, SC-1, VP-1): register, login, refresh rotation, logout, profile."""

from datetime import timedelta

from freezegun import freeze_time

from app.auth.models import AuthSession, User
from app.core.timeutil import utcnow
from app.extensions import db
from tests.conftest import PASSWORD, assert_error, bearer

REG = {"email": "Pilgrim@Example.in", "password": "Darshan2026ok", "full_name": "Asha Patel", "phone": "+919812345678"}


def register_and_login(client):
    assert client.post("/api/v1/auth/register", json=REG).status_code == 201
    r = client.post("/api/v1/auth/login", json={"email": REG["email"], "password": REG["password"]})
    assert r.status_code == 200
    return r.get_json()


def test_register_creates_user_role_and_normalised_email(client):  # PW-1
    r = client.post("/api/v1/auth/register", json=REG)
    assert r.status_code == 201
    body = r.get_json()
    assert body["email"] == "pilgrim@example.in"
    assert body["role"] == "user" and body["is_active"] is True
    assert set(body) >= {"id", "email", "full_name", "phone", "role", "is_active", "created_at"}
    assert "password" not in body and "password_hash" not in body
    assert body["created_at"].endswith("+00:00")
    user = db.session.get(User, body["id"])
    assert user.password_hash.startswith("$argon2id$")


def test_register_email_taken_is_409(client):
    client.post("/api/v1/auth/register", json=REG)
    assert_error(client.post("/api/v1/auth/register", json={**REG, "email": "pilgrim@example.in"}), 409, "email_taken")


def test_register_weak_password_gives_clear_422(client):
    r = client.post("/api/v1/auth/register", json={**REG, "password": "short"})
    body = assert_error(r, 422, "validation_error")
    messages = " ".join(body["errors"]["password"])
    assert "at least 10 characters" in messages and "letter and one digit" in messages
    assert db.session.query(User).count() == 0


def test_register_validation_errors_name_fields(client):
    r = client.post("/api/v1/auth/register", json={"email": "nope", "password": "Darshan2026ok", "extra": 1})
    body = assert_error(r, 422, "validation_error")
    assert {"email", "full_name", "extra"} <= set(body["errors"])


def test_login_wrong_password_401(client):
    client.post("/api/v1/auth/register", json=REG)
    assert_error(client.post("/api/v1/auth/login", json={"email": REG["email"], "password": "WrongPass123"}),
                 401, "unauthorized")
    assert_error(client.post("/api/v1/auth/login", json={"email": "ghost@x.in", "password": "WrongPass123"}),
                 401, "unauthorized")


def test_login_returns_pair_and_user(client):
    tokens = register_and_login(client)
    assert tokens["access_token"] and tokens["refresh_token"]
    assert tokens["user"]["email"] == "pilgrim@example.in"


def test_refresh_rotates_and_used_token_is_refused(client):
    tokens = register_and_login(client)
    old = {"Authorization": f"Bearer {tokens['refresh_token']}"}
    r = client.post("/api/v1/auth/refresh", headers=old)
    assert r.status_code == 200
    new = r.get_json()
    assert new["refresh_token"] != tokens["refresh_token"]
    r = client.post("/api/v1/auth/refresh", headers={"Authorization": f"Bearer {new['refresh_token']}"})
    assert r.status_code == 200  # the new one rotates in turn
    assert_error(client.post("/api/v1/auth/refresh", headers=old), 401, "token_revoked")


def test_access_token_cannot_refresh_and_refresh_cannot_access(client):
    tokens = register_and_login(client)
    assert_error(client.post("/api/v1/auth/refresh", headers={"Authorization": f"Bearer {tokens['access_token']}"}),
                 401)
    assert_error(client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {tokens['refresh_token']}"}), 401)


def test_logout_revokes_access_and_refresh(client):
    tokens = register_and_login(client)
    access = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert client.post("/api/v1/auth/logout", headers=access).status_code == 204
    assert_error(client.get("/api/v1/auth/me", headers=access), 401, "token_revoked")
    assert_error(client.post("/api/v1/auth/refresh", headers={"Authorization": f"Bearer {tokens['refresh_token']}"}),
                 401, "token_revoked")
    # the ended session is a row in the database: it survives a restart of the web process
    assert db.session.query(AuthSession).filter(AuthSession.revoked_at.is_not(None)).count() == 1


def test_expired_access_token_is_401_token_expired(client, make_user):
    user = make_user()
    with freeze_time(utcnow()) as frozen:
        headers = bearer(user)
        assert client.get("/api/v1/auth/me", headers=headers).status_code == 200
        frozen.tick(timedelta(minutes=16))
        assert_error(client.get("/api/v1/auth/me", headers=headers), 401, "token_expired")


def test_garbage_and_missing_tokens_are_401(client):
    assert_error(client.get("/api/v1/auth/me"), 401, "unauthorized")
    assert_error(client.get("/api/v1/auth/me", headers={"Authorization": "Bearer not.a.jwt"}), 401, "unauthorized")


def test_profile_read_and_update(client, make_user):
    headers = bearer(make_user())
    r = client.patch("/api/v1/auth/me", json={"full_name": "Ravi Shah", "phone": "+91 98765 43210", "reminders": False},
                     headers=headers)
    assert r.status_code == 200
    assert r.get_json()["full_name"] == "Ravi Shah" and r.get_json()["reminders"] is False
    assert client.get("/api/v1/auth/me", headers=headers).get_json()["phone"] == "+91 98765 43210"
    assert_error(client.patch("/api/v1/auth/me", json={"role": "admin"}, headers=headers), 422, "validation_error")


def test_change_password(client, make_user):
    user = make_user(email="pw@test.in")
    headers = bearer(user)
    assert_error(client.post("/api/v1/auth/me/password", json={"current_password": "wrong-one-1",
                                                                "new_password": "NewPassw0rd!"}, headers=headers),
                 422, "validation_error")
    assert_error(client.post("/api/v1/auth/me/password", json={"current_password": PASSWORD, "new_password": "short"},
                             headers=headers), 422)
    r = client.post("/api/v1/auth/me/password", json={"current_password": PASSWORD, "new_password": "NewPassw0rd!"},
                    headers=headers)
    assert r.status_code == 204
    login = "/api/v1/auth/login"
    assert client.post(login, json={"email": "pw@test.in", "password": PASSWORD}).status_code == 401
    assert client.post(login, json={"email": "pw@test.in", "password": "NewPassw0rd!"}).status_code == 200


def test_login_is_rate_limited_with_retry_after(client):
    for _ in range(10):
        client.post("/api/v1/auth/login", json={"email": "x@y.in", "password": "whatever123"})
    r = client.post("/api/v1/auth/login", json={"email": "x@y.in", "password": "whatever123"})
    assert_error(r, 429, "rate_limited")
    assert int(r.headers["Retry-After"]) > 0


def test_register_is_rate_limited(client):
    for i in range(10):
        client.post("/api/v1/auth/register", json={**REG, "email": f"u{i}@x.in"})
    assert_error(client.post("/api/v1/auth/register", json={**REG, "email": "late@x.in"}), 429, "rate_limited")
