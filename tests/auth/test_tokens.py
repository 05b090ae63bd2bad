"""Token lifecycle (PW-1, SC-1): rotation under concurrency, revocations that survive a restart, expiry."""

import json
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from flask_jwt_extended import decode_token
from freezegun import freeze_time

from app.auth import service
from app.auth.models import AuthSession
from app.core.errors import Unauthorized
from app.core.timeutil import utcnow
from app.extensions import db
from tests.conftest import PASSWORD, TEST_CONFIG, assert_error, bearer

ROOT = Path(__file__).resolve().parents[2]
REFRESH = "/api/v1/auth/refresh"


def as_bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_refresh_token_works_once_even_when_used_concurrently(app, committed_db):  # PW-1
    user = service.register_user(email="race@test.in", password=PASSWORD, full_name="Race")
    token = service.issue_tokens(user)["refresh_token"]
    db.session.remove()
    results, barrier = [], threading.Barrier(8)

    def use_it() -> None:
        client = app.test_client()
        barrier.wait(timeout=30)
        response = client.post(REFRESH, headers=as_bearer(token))
        results.append((response.status_code, (response.get_json() or {}).get("error")))

    threads = [threading.Thread(target=use_it) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(results, key=str) == [(200, None)] + [(401, "token_revoked")] * 7
    # a second use of one refresh token is a replay: the whole family (the session) is over
    assert db.session.query(AuthSession).one().revoked_at is not None


def test_service_refuses_a_refresh_token_that_was_already_rotated(app, make_user):
    # A second request that passed the blocklist check before the first one committed still loses.
    user = make_user()
    claims = decode_token(service.issue_tokens(user)["refresh_token"])
    assert service.rotate_refresh(user=user, refresh_claims=claims)["refresh_token"]
    with pytest.raises(Unauthorized) as exc:
        service.rotate_refresh(user=user, refresh_claims=claims)
    assert exc.value.error == "token_revoked"


SECOND_INSTANCE = """
import json, sys
from app import create_app
config, calls = json.loads(sys.argv[1]), json.loads(sys.argv[2])
client = create_app(config).test_client()
for method, path, token in calls:
    r = client.open(path, method=method, headers={"Authorization": "Bearer " + token})
    print(r.status_code, r.get_json().get("error"))
"""


def test_logout_revocation_survives_a_restart(app, client, committed_db):
    """A fresh process on the same database refuses the logged-out token and accepts another."""
    user = service.register_user(email="restart@test.in", password=PASSWORD, full_name="Restart")
    logged_out, other = service.issue_tokens(user), service.issue_tokens(user)
    assert client.post("/api/v1/auth/logout", headers=as_bearer(logged_out["access_token"])).status_code == 204
    db.session.remove()
    config = {**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    calls = [("GET", "/api/v1/auth/me", logged_out["access_token"]), ("POST", REFRESH, logged_out["refresh_token"]),
             ("GET", "/api/v1/auth/me", other["access_token"])]
    run = subprocess.run([sys.executable, "-c", SECOND_INSTANCE, json.dumps(config), json.dumps(calls)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split("\n")[-4:-1] == ["401 token_revoked", "401 token_revoked", "200 None"]


def test_deactivated_users_refresh_token_is_refused(client, make_user):
    admin, victim = make_user("admin"), make_user()
    refresh = service.issue_tokens(victim)["refresh_token"]
    assert client.delete(f"/api/v1/users/{victim.id}", headers=bearer(admin)).status_code == 204
    assert_error(client.post(REFRESH, headers=as_bearer(refresh)), 401, "account_inactive")


def test_refresh_token_expires_after_its_lifetime(app, client, make_user):
    user = make_user()
    with freeze_time(utcnow()) as frozen:
        refresh = service.issue_tokens(user)["refresh_token"]
        frozen.tick(timedelta(days=app.config["JWT_REFRESH_TOKEN_EXPIRES_DAYS"], minutes=1))
        assert_error(client.post(REFRESH, headers=as_bearer(refresh)), 401, "token_expired")


def test_ended_sessions_are_purged_only_a_refresh_lifetime_later(app, client, make_user):
    tokens = service.issue_tokens(make_user())
    assert client.post("/api/v1/auth/logout", headers=as_bearer(tokens["access_token"])).status_code == 204
    assert service.purge_old_sessions() == 0
    days = app.config["JWT_REFRESH_TOKEN_EXPIRES_DAYS"]
    with freeze_time(utcnow() + timedelta(days=days, minutes=1)):
        assert service.purge_old_sessions() == 1
    assert db.session.query(AuthSession).count() == 0
