"""Sessions (CR-6) and what ends them: logout, password change, deactivation, a replayed refresh token."""

from app.auth import service
from tests.conftest import PASSWORD, assert_error, bearer

LOGIN, REFRESH, ME = "/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/me"
SESSIONS = "/api/v1/auth/sessions"


def as_bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def log_in(client, user, agent="Firefox on a phone") -> dict:
    r = client.post(LOGIN, json={"email": user.email, "password": PASSWORD}, headers={"User-Agent": agent})
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_a_password_change_ends_every_other_session(client, make_user):
    user = make_user()
    laptop, phone = log_in(client, user, "laptop"), log_in(client, user, "phone")
    r = client.post(f"{ME}/password", headers=as_bearer(laptop["access_token"]),
                    json={"current_password": PASSWORD, "new_password": "Another-passw0rd"})
    assert r.status_code == 204
    for tokens in (phone, laptop):  # the old access tokens stop at once, the refresh tokens rotate no more
        assert_error(client.get(ME, headers=as_bearer(tokens["access_token"])), 401, "token_revoked")
        assert_error(client.post(REFRESH, headers=as_bearer(tokens["refresh_token"])), 401, "token_revoked")
    fresh = client.post(LOGIN, json={"email": user.email, "password": "Another-passw0rd"}).get_json()
    assert client.get(ME, headers=as_bearer(fresh["access_token"])).status_code == 200


def test_reusing_a_rotated_refresh_token_revokes_the_whole_chain(client, make_user):
    first = log_in(client, make_user())
    second = client.post(REFRESH, headers=as_bearer(first["refresh_token"])).get_json()
    third = client.post(REFRESH, headers=as_bearer(second["refresh_token"])).get_json()
    assert client.get(ME, headers=as_bearer(third["access_token"])).status_code == 200
    # an attacker replays the first refresh token: the family is compromised, every token of it dies
    assert_error(client.post(REFRESH, headers=as_bearer(first["refresh_token"])), 401, "token_revoked")
    assert_error(client.get(ME, headers=as_bearer(third["access_token"])), 401, "token_revoked")
    assert_error(client.post(REFRESH, headers=as_bearer(third["refresh_token"])), 401, "token_revoked")


def test_a_user_lists_and_ends_their_own_sessions(client, make_user):
    user = make_user()
    phone, laptop = log_in(client, user, "phone"), log_in(client, user, "laptop")
    sessions = client.get(SESSIONS, headers=as_bearer(laptop["access_token"])).get_json()
    assert [s["device"] for s in sessions] == ["laptop", "phone"]  # newest first
    assert set(sessions[0]) >= {"id", "device", "address", "created_at", "last_used_at"}
    phone_id = sessions[1]["id"]
    assert client.delete(f"{SESSIONS}/{phone_id}", headers=as_bearer(laptop["access_token"])).status_code == 204
    assert_error(client.get(ME, headers=as_bearer(phone["access_token"])), 401, "token_revoked")
    assert_error(client.post(REFRESH, headers=as_bearer(phone["refresh_token"])), 401, "token_revoked")
    assert [s["device"] for s in client.get(SESSIONS, headers=as_bearer(laptop["access_token"])).get_json()] == \
        ["laptop"]
    assert_error(client.delete(f"{SESSIONS}/{phone_id}", headers=as_bearer(laptop["access_token"])), 404)


def test_others_cannot_see_or_end_a_session_but_an_admin_can(client, make_user):
    victim, other, admin = make_user(), make_user(), make_user("admin")
    tokens = log_in(client, victim, "victim's phone")
    [session] = client.get(SESSIONS, headers=as_bearer(tokens["access_token"])).get_json()
    assert_error(client.delete(f"{SESSIONS}/{session['id']}", headers=bearer(other)), 404, "not_found")
    mine = client.get(f"{SESSIONS}?user_id={victim.id}", headers=bearer(other)).get_json()  # a user sees only theirs
    assert all(s["user_id"] == other.id for s in mine)
    listed = client.get(f"{SESSIONS}?user_id={victim.id}", headers=bearer(admin)).get_json()
    assert [s["device"] for s in listed] == ["victim's phone"]
    assert client.delete(f"{SESSIONS}/{session['id']}", headers=bearer(admin)).status_code == 204
    assert_error(client.get(ME, headers=as_bearer(tokens["access_token"])), 401, "token_revoked")


def test_deactivation_ends_sessions_and_reactivation_does_not_revive_them(client, make_user):
    admin, user = make_user("admin"), make_user()
    tokens = log_in(client, user)
    assert client.patch(f"/api/v1/users/{user.id}", json={"is_active": False}, headers=bearer(admin)).status_code == 200
    assert client.patch(f"/api/v1/users/{user.id}", json={"is_active": True}, headers=bearer(admin)).status_code == 200
    assert_error(client.get(ME, headers=as_bearer(tokens["access_token"])), 401, "token_revoked")


def test_failed_logins_are_throttled_per_account_whatever_the_address(app, client, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_AUTH", "1000 per minute")  # the per-address limit is not the point
    user = make_user()
    for n in range(10):
        r = client.post(LOGIN, json={"email": user.email, "password": "wrong-passw0rd"},
                        environ_base={"REMOTE_ADDR": f"10.0.0.{n}"})
        assert_error(r, 401, "unauthorized")
    r = client.post(LOGIN, json={"email": user.email, "password": PASSWORD}, environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert_error(r, 429, "rate_limited")
    other = make_user()  # another account is not affected
    assert client.post(LOGIN, json={"email": other.email, "password": PASSWORD}).status_code == 200
    assert service.find_user_by_email(user.email).is_active
