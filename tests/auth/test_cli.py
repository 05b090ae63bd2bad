"""flask create-admin and flask seed-demo (VP-1: no default admin password anywhere)."""

from app.auth.models import User
from app.extensions import db


def test_create_admin_needs_a_password(app, monkeypatch):
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    result = app.test_cli_runner().invoke(args=["create-admin", "--email", "boss@sangam.in"])
    assert result.exit_code != 0 and "ADMIN_PASSWORD" in result.output
    assert db.session.query(User).count() == 0


def test_create_admin_refuses_weak_password(app):
    result = app.test_cli_runner().invoke(args=["create-admin", "--email", "boss@sangam.in", "--password", "abc"])
    assert result.exit_code != 0 and "at least 10 characters" in result.output


def test_create_admin_creates_then_resets(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-admin", "--email", "boss@sangam.in", "--password", "Fi rst-passw0rd"])
    assert result.exit_code == 0 and "Created admin" in result.output
    env = {"ADMIN_PASSWORD": "Second-passw0rd"}
    result = runner.invoke(args=["create-admin", "--email", "boss@sangam.in"], env=env)
    assert result.exit_code == 0 and "Reset admin" in result.output
    r = client.post("/api/v1/auth/login", json={"email": "boss@sangam.in", "password": "Second-passw0rd"})
    assert r.status_code == 200 and r.get_json()["user"]["role"] == "admin"


def test_seed_demo_is_idempotent_and_prints_passwords_once(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    roles = {u.role for u in db.session.query(User)}
    assert roles >= {"admin", "operator", "safety_officer", "reception", "user"}
    count = db.session.query(User).count()
    assert first.output.count("password:") == 5
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0 and "password:" not in second.output
    assert db.session.query(User).count() == count
