"""Alerts (PW-15): create, list active and history, cancel, live delivery, critical notifications."""

from datetime import timedelta

import pytest
from freezegun import freeze_time

from app.core.notify import Notification
from app.core.timeutil import utcnow
from app.extensions import db, socketio
from tests.conftest import assert_error, bearer
from tests.factories.temples import TempleFactory


def alert_body(**kw):
    return {"scope": "temple", "temple": "somnath", "severity": "warning", "title": "Queue long",
            "message": "Expect a 2 hour wait", **kw}


@pytest.fixture(autouse=True)
def temples(app):
    """Somnath and Dwarka: their ids by slug."""
    return {slug: TempleFactory(slug=slug).id for slug in ("somnath", "dwarka")}


def test_roles_and_validation(client, auth_headers):
    assert_error(client.post("/api/v1/alerts", json=alert_body()), 401)
    assert_error(client.post("/api/v1/alerts", json=alert_body(), headers=auth_headers("user")), 403, "forbidden")
    op = auth_headers("operator")
    body = assert_error(client.post("/api/v1/alerts", json=alert_body(scope="zone"), headers=op), 422)
    assert "zone" in body["errors"]
    assert_error(client.post("/api/v1/alerts", json=alert_body(severity="doom"), headers=op), 422)
    assert_error(client.post("/api/v1/alerts", json=alert_body(temple="atlantis"), headers=op), 422)
    assert_error(client.post("/api/v1/alerts", json={**alert_body(scope="city")}, headers=op), 422)


def test_create_list_cancel(client, auth_headers, temples):
    op = auth_headers("operator")
    r = client.post("/api/v1/alerts", json=alert_body(), headers=op)
    assert r.status_code == 201
    alert = r.get_json()
    assert alert["temple_id"] == temples["somnath"] and alert["temple"] == "somnath" and alert["active"] is True
    client.post("/api/v1/alerts", json=alert_body(temple="dwarka"), headers=op)
    client.post("/api/v1/alerts", json={"scope": "city", "severity": "info", "title": "Heat", "message": "Drink water"},
                headers=op)
    somnath = client.get("/api/v1/alerts?active=true&temple=somnath").get_json()
    assert {a["title"] for a in somnath} == {"Queue long", "Heat"}  # its own and the city's
    assert client.post(f"/api/v1/alerts/{alert['id']}/cancel", headers=op).get_json()["status"] == "cancelled"
    assert_error(client.post(f"/api/v1/alerts/{alert['id']}/cancel", headers=op), 409)
    assert_error(client.post("/api/v1/alerts/99999/cancel", headers=op), 404)
    active = client.get("/api/v1/alerts?active=true&temple=somnath").get_json()
    assert [a["title"] for a in active] == ["Heat"]
    history = client.get("/api/v1/alerts?active=false").get_json()
    assert [a["id"] for a in history] == [alert["id"]]


def test_expired_alert_is_not_active(client, auth_headers):
    op = auth_headers("operator")
    start = utcnow()
    with freeze_time(start) as frozen:
        expires = (start + timedelta(hours=1)).isoformat()
        client.post("/api/v1/alerts", json=alert_body(expires_at=expires), headers=op)
        assert len(client.get("/api/v1/alerts?active=true").get_json()) == 1
        frozen.tick(timedelta(hours=2))
        assert client.get("/api/v1/alerts?active=true").get_json() == []
        assert len(client.get("/api/v1/alerts?active=false").get_json()) == 1


def test_alert_delivered_live_to_its_scope_only(app, client, auth_headers, temples):  # PW-15
    somnath = socketio.test_client(app)
    dwarka = socketio.test_client(app)
    everything = socketio.test_client(app)
    assert somnath.emit("subscribe", {"channel": "alerts", "temple_id": "somnath"}, callback=True)["ok"]
    assert dwarka.emit("subscribe", {"channel": "alerts", "temple_id": temples["dwarka"]}, callback=True)["ok"]
    everything.emit("subscribe", {"channel": "alerts"}, callback=True)
    op = auth_headers("operator")
    client.post("/api/v1/alerts", json=alert_body(), headers=op)
    client.post("/api/v1/alerts", json={"scope": "city", "severity": "info", "title": "Heat", "message": "Water"},
                headers=op)
    titles = lambda c: [e["args"][0]["title"] for e in c.get_received() if e["name"] == "alert"]  # noqa: E731
    assert titles(somnath) == ["Queue long", "Heat"]
    assert titles(dwarka) == ["Heat"]
    assert titles(everything) == ["Queue long", "Heat"]


def test_critical_alert_notifies_responders(app, client, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "ALERT_EMAILS", ["control@sangam.in"])
    monkeypatch.setitem(app.config, "ALERT_SMS", ["+919800000001"])
    make_user("safety_officer", email="so@sangam.in")
    op = bearer(make_user("operator", email="op@sangam.in"))
    client.post("/api/v1/alerts", json=alert_body(severity="warning"), headers=op)
    assert db.session.query(Notification).count() == 0
    client.post("/api/v1/alerts", json=alert_body(severity="critical", scope="zone", zone="garbhaGriha"), headers=op)
    notes = db.session.query(Notification).all()
    assert {(n.channel, n.recipient) for n in notes} == {
        ("email", "control@sangam.in"), ("email", "so@sangam.in"), ("email", "op@sangam.in"),
        ("sms", "+919800000001")}
    assert all("CRITICAL" in n.subject and "garbhaGriha" in n.subject for n in notes)
    assert all(n.status == "sent" for n in notes)  # eager in tests; log providers without SMTP
