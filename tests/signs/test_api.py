"""The signs HTTP contract (API.md "signs"): paths, roles, bodies, status and error codes."""

from __future__ import annotations

import json

import pytest

from app.extensions import socketio
from tests.conftest import assert_error
from tests.factories.signs import MessageFactory, OverrideFactory, SignFactory, SubmissionFactory
from tests.platform.servers import WebhookServer

BASE = "/api/v1/city/signs"
SIGN_BODY = {"name": "Triveni ghat steps", "zone": "ghat", "group": "river", "lat": 20.893, "lng": 70.405}


@pytest.fixture
def op(auth_headers):
    return auth_headers("operator")


def test_signs_are_for_operators(client, auth_headers):  # CA-1
    assert_error(client.get(BASE), 401, "unauthorized")
    assert_error(client.get(BASE, headers=auth_headers("user")), 403, "forbidden")
    assert_error(client.post(BASE, json=SIGN_BODY, headers=auth_headers("safety_officer")), 403, "forbidden")
    assert client.get(BASE, headers=auth_headers("admin")).status_code == 200


def test_registering_a_sign_returns_its_key_once(app, client, op):  # CA-1
    r = client.post(BASE, json=SIGN_BODY, headers=op)
    assert r.status_code == 201
    sign = r.get_json()
    assert sign["key"].startswith("sk_") and sign["status"] == "offline" and sign["group"] == "river"
    assert sign["showing"] == {"override": None, "message": None, "messages": 0}
    listed = client.get(BASE, headers=op)
    assert [s["name"] for s in listed.get_json()] == ["Triveni ghat steps"] and "key" not in listed.get_json()[0]
    assert json.loads(listed.headers["X-Pagination"])["total"] == 1
    assert client.get(f"{BASE}/{sign['id']}", headers=op).get_json()["device_id"] == sign["device_id"]
    live = socketio.test_client(app, namespace="/signs", auth={"device_key": sign["key"]})
    assert live.is_connected("/signs")
    assert client.get(f"{BASE}/{sign['id']}", headers=op).get_json()["status"] == "online"


def test_a_retried_registration_makes_one_sign(client, op):
    headers = {**op, "Idempotency-Key": "sign-ghat-1"}
    first, again = (client.post(BASE, json=SIGN_BODY, headers=headers) for _ in range(2))
    assert first.status_code == again.status_code == 201 and first.get_json() == again.get_json()
    assert len(client.get(BASE, headers=op).get_json()) == 1
    assert_error(client.post(BASE, json={**SIGN_BODY, "name": "Other"}, headers=headers), 409, "idempotency_mismatch")


@pytest.mark.parametrize("body, field", [
    ({**SIGN_BODY, "lat": 91}, "lat"), ({k: v for k, v in SIGN_BODY.items() if k != "zone"}, "zone"),
    ({**SIGN_BODY, "colour": "red"}, "colour"), ({**SIGN_BODY, "zone": "<b>x</b>"}, "zone"),
    ({**SIGN_BODY, "temple": "atlantis"}, "temple"), ({**SIGN_BODY, "group": 7}, "group"),
])
def test_bad_sign_bodies_are_422(client, op, body, field):
    body_ = assert_error(client.post(BASE, json=body, headers=op), 422, "validation_error")
    assert field in body_["errors"]
    assert client.get(BASE, headers=op).get_json() == []


def test_an_operator_changes_a_sign_and_issues_a_new_key(app, client, op):
    sign = SignFactory()
    assert_error(client.patch(f"{BASE}/{sign.id}", json={}, headers=op), 422)
    assert_error(client.patch(f"{BASE}/999999", json={"zone": "ghat"}, headers=op), 404, "not_found")
    changed = client.patch(f"{BASE}/{sign.id}", json={"zone": "ghat", "group": "river"}, headers=op)
    assert changed.status_code == 200 and (changed.get_json()["zone"], changed.get_json()["group"]) == ("ghat", "river")
    old_key = sign.key
    r = client.post(f"{BASE}/{sign.id}/key", headers=op)
    assert r.status_code == 201 and r.get_json()["key"] != old_key
    assert not socketio.test_client(app, namespace="/signs", auth={"device_key": old_key}).is_connected("/signs")
    fresh = socketio.test_client(app, namespace="/signs", auth={"device_key": r.get_json()["key"]})
    assert fresh.is_connected("/signs")


def test_status_requests_reach_the_sign(app, client, op):  # CA-4
    sign = SignFactory()
    sign_id, key = sign.id, sign.key
    live = socketio.test_client(app, namespace="/signs", auth={"device_key": key})
    live.get_received("/signs")
    assert client.post(f"{BASE}/{sign_id}/request-status", headers=op).status_code == 202
    assert client.post(f"{BASE}/{sign_id}/ping", headers=op).status_code == 202
    assert [e["name"] for e in live.get_received("/signs")] == ["request_status", "ping"]
    live.emit("heartbeat", {"battery": 61}, namespace="/signs", callback=True)
    samples = client.get(f"{BASE}/{sign_id}/samples", headers=op).get_json()
    assert [s["battery"] for s in samples] == [61]
    assert_error(client.get(f"{BASE}/{sign_id}/samples?from=yesterday", headers=op), 422)


def test_templates(client, op):  # CA-5
    templates = client.get(f"{BASE}/templates", headers=op).get_json()
    assert sum(t["is_default"] for t in templates) == 17
    crowd = next(t for t in templates if t["slug"] == "crowd_alert")
    assert crowd["placeholders"] == ["zone", "density", "alternative"] and set(crowd["translations"]) == {"hi", "gu"}
    body = {"slug": "prasad", "category": "wayfinding", "title": "Prasad", "body": "Prasad: {direction}."}
    assert client.post(f"{BASE}/templates", json=body, headers=op).status_code == 201
    assert_error(client.post(f"{BASE}/templates", json=body, headers=op), 409, "template_exists")
    assert_error(client.post(f"{BASE}/templates", json={**body, "slug": "Bad Slug"}, headers=op), 422)


def test_a_message_from_a_template_and_its_deliveries(app, client, op):  # CA-4, CA-5
    sign = SignFactory(zone="ghat")
    sign_id, key = sign.id, sign.key
    live = socketio.test_client(app, namespace="/signs", auth={"device_key": key})
    r = client.post(f"{BASE}/messages", json={"template": "weather_heat", "params": {"temperature": 42,
                                                                                     "water_points": "gate 2"},
                                              "targets": {"zones": ["ghat"]}}, headers=op)
    assert r.status_code == 201
    message = r.get_json()
    assert message["text"] == "Heat warning: 42 °C. Drink water; free water at gate 2."
    assert message["status"] == "showing"
    pushed = [e for e in live.get_received("/signs") if e["name"] == "new_message"][-1]["args"][0]
    live.emit("ack", {"message_id": pushed["id"]}, namespace="/signs", callback=True)
    detail = client.get(f"{BASE}/messages/{message['id']}", headers=op).get_json()
    [delivery] = detail["deliveries"]
    assert delivery["sign"]["id"] == sign_id and delivery["sent_at"] and delivery["acked_at"]
    assert delivery["flagged"] is False and detail["acknowledged"] == 1
    assert_error(client.get(f"{BASE}/messages/999999", headers=op), 404, "not_found")
    assert [m["id"] for m in client.get(f"{BASE}/messages", headers=op).get_json()] == [message["id"]]


@pytest.mark.parametrize("body, field, words", [
    ({"template": "crowd_alert", "params": {"zone": "Ghat"}, "targets": {"all": True}}, "params", "density"),
    ({"template": "nope", "targets": {"all": True}}, "template", "nope"),
    ({"text": "x", "targets": {"sign_ids": [424242]}}, "targets", "424242"),
    ({"text": "x", "targets": {"zones": ["roof"]}}, "targets", "roof"),
    ({"text": "x", "targets": {}}, "targets", "Name the signs"),
    ({"text": "x", "targets": {"all": True, "zones": ["ghat"]}}, "targets", "cannot be combined"),
    ({"text": "x", "template": "sponsor", "targets": {"all": True}}, "_schema", "either"),
    ({"text": "x", "targets": {"all": True}, "expires_at": "2020-01-01T00:00:00+00:00"}, "expires_at", "future"),
    ({"text": "x", "targets": {"all": True}, "starts_at": "2026-03-09 10:00"}, "starts_at", ""),
])
def test_bad_messages_are_422_and_name_the_problem(client, op, body, field, words):
    SignFactory(zone="ghat")
    errors = assert_error(client.post(f"{BASE}/messages", json=body, headers=op), 422, "validation_error")["errors"]
    assert field in errors and words in json.dumps(errors, ensure_ascii=False)


def test_overrides_for_operators_and_safety_officers(client, op, auth_headers):  # CA-4
    sign = SignFactory()
    MessageFactory(signs=[sign])
    officer = auth_headers("safety_officer")
    assert_error(client.post(f"{BASE}/overrides", json={"text": "x", "severity": "info", "targets": {"all": True}},
                             headers=auth_headers("user")), 403)
    r = client.post(f"{BASE}/overrides", json={"text": "Evacuate", "severity": "critical", "targets": {"all": True}},
                    headers=officer)
    assert r.status_code == 201 and r.get_json()["status"] == "active" and r.get_json()["signs"] == 1
    override_id = r.get_json()["id"]
    assert client.get(f"{BASE}/overrides?status=active", headers=op).get_json()[0]["id"] == override_id
    cancelled = client.post(f"{BASE}/overrides/{override_id}/cancel", headers=op)
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    assert_error(client.post(f"{BASE}/overrides/{override_id}/cancel", headers=op), 409, "invalid_transition")
    assert_error(client.post(f"{BASE}/overrides/999999/cancel", headers=op), 404, "not_found")
    assert_error(client.post(f"{BASE}/overrides", json={"text": "x", "severity": "fatal", "targets": {"all": True}},
                             headers=op), 422)


def test_a_proposal_is_approved_with_one_click(client, op):  # playbook
    sign = SignFactory()
    proposal = OverrideFactory(status="proposed", activated_at=None, targets={"sign_ids": [sign.id]})
    proposal_id = proposal.id
    r = client.post(f"{BASE}/overrides/{proposal_id}/approve", headers=op)
    assert r.status_code == 200 and r.get_json()["status"] == "active" and r.get_json()["signs"] == 1
    assert_error(client.post(f"{BASE}/overrides/{proposal_id}/approve", headers=op), 409, "invalid_transition")
    detail = client.get(f"{BASE}/overrides/{proposal_id}", headers=op).get_json()
    assert [d["sign"]["id"] for d in detail["deliveries"]] == [sign.id]


def test_public_submissions_are_moderated(client, op, auth_headers):  # CA-6
    SignFactory(zone="ghat")
    r = client.post(f"{BASE}/submissions", json={"kind": "found", "text": "<i>Blue</i> umbrella", "zone": "ghat"})
    assert r.status_code == 201
    public = r.get_json()
    assert public["status"] == "pending" and set(public) == {"id", "kind", "status", "created_at"}
    assert_error(client.get(f"{BASE}/submissions"), 401)
    assert_error(client.get(f"{BASE}/submissions", headers=auth_headers("user")), 403)
    [pending] = client.get(f"{BASE}/submissions?status=pending", headers=op).get_json()
    assert pending["text"] == "Blue umbrella"
    approved = client.post(f"{BASE}/submissions/{public['id']}/approve", json={}, headers=op)
    assert approved.status_code == 200 and approved.get_json()["message_id"]
    assert_error(client.post(f"{BASE}/submissions/{public['id']}/reject", json={"reason": "x"}, headers=op), 409,
                 "invalid_transition")
    other = SubmissionFactory(zone="ghat")
    rejected = client.post(f"{BASE}/submissions/{other.id}/reject", json={"reason": "Duplicate"}, headers=op)
    assert rejected.get_json()["status"] == "rejected" and rejected.get_json()["reason"] == "Duplicate"
    assert_error(client.post(f"{BASE}/submissions/{other.id}/reject", json={}, headers=op), 422)


def test_submissions_are_limited_in_length_and_rate(app, client, real_clock):  # CA-6
    SignFactory(zone="ghat")
    assert app.config["SIGNS_SUBMISSION_RATE"].startswith("5 per minute")
    assert_error(client.post(f"{BASE}/submissions", json={"kind": "lost", "text": "x" * 281}), 422)
    assert_error(client.post(f"{BASE}/submissions", json={"kind": "stolen", "text": "bag"}), 422)
    codes = [client.post(f"{BASE}/submissions", json={"kind": "lost", "text": f"bag {i}"}).status_code
             for i in range(4)]
    assert codes == [201, 201, 201, 429]  # every attempt counts, refused ones too
    assert_error(client.post(f"{BASE}/submissions", json={"kind": "lost", "text": "bag"}), 429, "rate_limited")


def test_sms_notices_to_a_list_or_a_zone(app, client, op, monkeypatch):  # CA-7
    SignFactory(zone="ghat")
    assert client.post(f"{BASE}/subscribers", json={"phone": "+919800000021", "zone": "ghat"}).status_code == 201
    assert_error(client.post(f"{BASE}/subscribers", json={"phone": "98000", "zone": "ghat"}), 422)
    monkeypatch.setitem(app.config, "NOTIFY_BACKOFF_SECONDS", 0)
    with WebhookServer() as provider:
        monkeypatch.setitem(app.config, "SMS_PROVIDER", "twilio")
        monkeypatch.setitem(app.config, "SMS_API_URL", provider.url)
        to_zone = client.post(f"{BASE}/notify", json={"channel": "sms", "text": "Ghat closes at 8", "zone": "ghat"},
                              headers=op)
        to_list = client.post(f"{BASE}/notify", json={"channel": "sms", "text": "Hello",
                                                      "to": ["+919800000022", "+919800000023"]}, headers=op)
    assert (to_zone.status_code, to_zone.get_json()["recipients"]) == (201, 1)
    assert (to_list.status_code, to_list.get_json()["recipients"]) == (201, 2)
    assert len(provider.received) == 3
    assert_error(client.post(f"{BASE}/notify", json={"channel": "sms", "text": "x"}, headers=op), 422)
    assert_error(client.post(f"{BASE}/notify", json={"channel": "fax", "text": "x", "zone": "ghat"}, headers=op), 422)
    assert client.post(f"{BASE}/subscribers/unsubscribe", json={"phone": "+919800000021", "zone": "ghat"}) \
        .status_code == 204
    assert_error(client.post(f"{BASE}/notify", json={"channel": "voice", "text": "x", "zone": "ghat"}, headers=op),
                 422, "validation_error")


def test_bodies_that_are_not_json_are_refused_cleanly(client, op):
    assert client.post(f"{BASE}/messages", data="text=hi", headers={**op, "Content-Type": "text/plain"}) \
        .status_code == 415
    assert_error(client.post(f"{BASE}/messages", data="{", headers={**op, "Content-Type": "application/json"}), 400)
