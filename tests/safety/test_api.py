"""The safety HTTP contract (API.md "safety"): paths, roles, bodies, status and error codes; bad input
changes nothing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from app.extensions import db
from app.safety.models import Dispatch, Incident, Unit
from tests.conftest import assert_error, bearer
from tests.factories.safety import IncidentFactory, UnitFactory
from tests.safety.conftest import SOMNATH, TODAY

API = "/api/v1/safety"
SOS = {"type": "medical", "lat": SOMNATH[0], "lng": SOMNATH[1], "temple": "somnath", "zone": "mainDarshan",
       "description": "Elderly man collapsed near the main hall"}
INCIDENT_KEYS = {"code", "type", "severity", "status", "title", "description", "lat", "lng", "temple", "zone",
                 "reported_by", "reported_at", "acknowledged_at", "started_at", "resolved_at", "units", "related",
                 "timeline"}


@pytest.fixture
def as_(person):
    """as_("safety_officer") -> Authorization headers of a new user of that role."""
    made = {}

    def _headers(role: str) -> dict:
        if role not in made:
            made[role] = person(role, f"Test {role.replace('_', ' ').title()}")
        return bearer(made[role])

    return _headers


def incidents() -> int:
    db.session.expire_all()
    return db.session.query(Incident).count()


def test_a_pilgrim_raises_an_sos_and_gets_the_incident(client, as_, somnath):  # PW-14
    r = client.post(f"{API}/sos", json=SOS, headers=as_("user"))
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert set(body) >= INCIDENT_KEYS
    assert body["code"].startswith("SOS-") and body["status"] == "reported" and body["severity"] == "critical"
    assert (body["temple"], body["zone"], body["lat"]) == ("somnath", "mainDarshan", SOMNATH[0])
    assert body["reported_by"]["name"] == "Test User" and body["reported_at"].endswith("+00:00")
    assert body["units"] == [] and body["related"] == []
    assert [(t["action"], t["by"]["name"]) for t in body["timeline"]] == [("reported", "Test User")]


def test_an_sos_needs_a_login(client):
    assert_error(client.post(f"{API}/sos", json=SOS), 401)


@pytest.mark.parametrize(("change", "field"), [
    ({"type": "alien_invasion"}, "type"), ({"lat": 200}, "lat"), ({"lng": -181}, "lng"),
    ({"temple": "atlantis"}, "temple"), ({"zone": None, "temple": None, "extra": 1}, "extra"),
    ({"lat": True}, "lat"), ({"description": "x" * 2001}, "description")])
def test_bad_sos_input_is_a_422_naming_the_field_and_stores_nothing(client, as_, somnath, change, field):
    body = assert_error(client.post(f"{API}/sos", json={**SOS, **change}, headers=as_("user")), 422,
                        "validation_error")
    assert field in body["errors"], body
    assert incidents() == 0


def test_an_sos_retried_with_the_same_idempotency_key_is_raised_once(client, as_, somnath):
    headers = {**as_("user"), "Idempotency-Key": "sos-7f3a"}
    first = client.post(f"{API}/sos", json=SOS, headers=headers)
    again = client.post(f"{API}/sos", json=SOS, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.get_json()["code"] == again.get_json()["code"] and incidents() == 1
    other = client.post(f"{API}/sos", json={**SOS, "type": "fire"}, headers=headers)
    assert_error(other, 409, "idempotency_mismatch")


def test_staff_report_a_workplace_incident(client, as_):  # CR-3
    r = client.post(f"{API}/incidents", headers=as_("reception"), json={
        "type": "injury", "severity": "medium", "title": "Worker slipped on wet steps", "location_text": "Gomti ghat"})
    assert r.status_code == 201 and r.get_json()["code"].startswith("INC-")
    bad = client.post(f"{API}/incidents", headers=as_("reception"), json={
        "type": "injury", "severity": "apocalyptic", "title": "x", "lat": 20.0})
    assert set(assert_error(bad, 422)["errors"]) >= {"severity"}
    half = client.post(f"{API}/incidents", headers=as_("reception"), json={
        "type": "injury", "severity": "low", "title": "x", "lat": 20.0})
    assert "lat" in assert_error(half, 422)["errors"]


def test_a_reporter_sees_their_own_incident_and_others_get_404(client, as_, person, somnath):  # PW-14
    code = client.post(f"{API}/sos", json=SOS, headers=as_("user")).get_json()["code"]
    assert client.get(f"{API}/incidents/{code}", headers=as_("user")).status_code == 200
    assert client.get(f"{API}/incidents/{code.lower()}", headers=as_("operator")).status_code == 200
    stranger = bearer(person("user", "Ravi Kumar"))
    assert_error(client.get(f"{API}/incidents/{code}", headers=stranger), 404, "not_found")
    assert_error(client.get(f"{API}/incidents/SOS-NOPE22", headers=as_("operator")), 404, "not_found")


def test_lists_are_for_responders_with_filters_and_pagination(client, as_, somnath):  # PW-18
    for n in range(3):
        IncidentFactory(type="fire" if n == 0 else "injury")
    assert_error(client.get(f"{API}/incidents", headers=as_("user")), 403, "forbidden")
    r = client.get(f"{API}/incidents?page_size=2", headers=as_("operator"))
    assert r.status_code == 200 and len(r.get_json()) == 2
    assert json.loads(r.headers["X-Pagination"])["total"] == 3
    assert len(client.get(f"{API}/incidents?type=fire", headers=as_("safety_officer")).get_json()) == 1
    today, tomorrow = TODAY.isoformat(), (TODAY + timedelta(days=1)).isoformat()
    assert len(client.get(f"{API}/incidents?from={today}&to={today}", headers=as_("operator")).get_json()) == 3
    assert client.get(f"{API}/incidents?from={tomorrow}", headers=as_("operator")).get_json() == []
    assert "from" in assert_error(client.get(f"{API}/incidents?from=soon", headers=as_("operator")), 422)["errors"]
    assert "temple" in assert_error(client.get(f"{API}/incidents?temple=atlantis", headers=as_("operator")),
                                    422)["errors"]
    assert len(client.get(f"{API}/incidents/active", headers=as_("operator")).get_json()) == 3


def test_the_state_machine_over_http(client, as_):  # PW-14
    code = IncidentFactory().code
    assert_error(client.post(f"{API}/incidents/{code}/acknowledge", headers=as_("user")), 403)
    assert_error(client.post(f"{API}/incidents/{code}/start", headers=as_("operator")), 409, "invalid_transition")
    r = client.post(f"{API}/incidents/{code}/acknowledge", json={"note": "On my way"}, headers=as_("operator"))
    assert r.status_code == 200 and r.get_json()["status"] == "acknowledged"
    assert r.get_json()["timeline"][-1]["note"] == "On my way" and r.get_json()["acknowledged_at"]
    assert_error(client.post(f"{API}/incidents/{code}/acknowledge", headers=as_("safety_officer")), 409,
                 "invalid_transition")
    assert_error(client.post(f"{API}/incidents/{code}/start", json={"note": "x" * 2001}, headers=as_("operator")),
                 422)
    assert client.post(f"{API}/incidents/{code}/start", headers=as_("safety_officer")).status_code == 200
    done = client.post(f"{API}/incidents/{code}/resolve", json={}, headers=as_("safety_officer")).get_json()
    assert done["status"] == "resolved" and [t["status"] for t in done["timeline"]][-1] == "resolved"
    assert_error(client.post(f"{API}/incidents/INC-NONE22/resolve", headers=as_("operator")), 404)


def test_dispatch_the_nearest_fitting_unit_or_a_named_one(client, as_, somnath):  # SC-7
    code = client.post(f"{API}/sos", json=SOS, headers=as_("user")).get_json()["code"]
    fire = UnitFactory(kind="fire", name="Fire tender 1", lng=SOMNATH[1] + 0.001).id
    amb = UnitFactory(name="108 A").id
    assert_error(client.post(f"{API}/incidents/{code}/dispatch", json={}, headers=as_("operator")), 403)
    unfit = client.post(f"{API}/incidents/{code}/dispatch", json={"unit_id": fire}, headers=as_("safety_officer"))
    assert "does not fit" in assert_error(unfit, 422)["errors"]["unit_id"][0]
    assert_error(client.post(f"{API}/incidents/{code}/dispatch", json={"unit_id": 999999},
                             headers=as_("safety_officer")), 404)
    r = client.post(f"{API}/incidents/{code}/dispatch", json={}, headers=as_("safety_officer"))
    assert r.status_code == 200, r.get_json()
    [unit] = r.get_json()["units"]
    assert (unit["unit_id"], unit["name"], unit["kind"], unit["status"]) == (amb, "108 A", "ambulance", "dispatched")
    assert 950 < unit["distance_m"] < 1050 and r.get_json()["dispatched_at"]
    assert_error(client.post(f"{API}/incidents/{code}/dispatch", json={}, headers=as_("safety_officer")), 409,
                 "no_unit_available")
    assert db.session.query(Dispatch).count() == 1


def test_units_are_managed_by_safety_officers(client, as_):  # SC-7
    body = {"kind": "police", "name": "PCR 7", "lat": 20.9, "lng": 70.4}
    assert_error(client.post(f"{API}/units", json=body, headers=as_("operator")), 403)
    r = client.post(f"{API}/units", json=body, headers=as_("safety_officer"))
    assert r.status_code == 201 and r.get_json()["status"] == "available" and r.get_json()["incident"] is None
    unit_id = r.get_json()["id"]
    assert_error(client.post(f"{API}/units", json=body, headers=as_("safety_officer")), 409)
    assert "kind" in assert_error(client.post(f"{API}/units", json={**body, "kind": "tank", "name": "T"},
                                              headers=as_("safety_officer")), 422)["errors"]
    assert_error(client.patch(f"{API}/units/{unit_id}", json={}, headers=as_("safety_officer")), 422)
    assert "status" in assert_error(client.patch(f"{API}/units/{unit_id}", json={"status": "dispatched"},
                                                 headers=as_("safety_officer")), 422)["errors"]
    r = client.patch(f"{API}/units/{unit_id}", json={"status": "out_of_service"}, headers=as_("safety_officer"))
    assert r.get_json()["status"] == "out_of_service"
    assert [u["name"] for u in client.get(f"{API}/units?kind=police", headers=as_("safety_officer")).get_json()] == [
        "PCR 7"]
    assert_error(client.patch(f"{API}/units/999999", json={"name": "x"}, headers=as_("safety_officer")), 404)


def test_a_tracker_reports_position_arrival_and_release(client, as_, app):  # SC-7
    from app.auth import service as auth

    tracker, key = auth.create_device(name="108 A tracker", kind="sensor")
    _other, other_key = auth.create_device(name="sign 4", kind="sign")
    unit_id = UnitFactory(name="108 A", device_id=tracker.id).id
    code = IncidentFactory(type="medical", lat=SOMNATH[0], lng=SOMNATH[1]).code
    client.post(f"{API}/incidents/{code}/dispatch", json={"unit_id": unit_id}, headers=as_("safety_officer"))
    device = {"X-Device-Key": key}
    r = client.post(f"{API}/units/{unit_id}/position", json={"lat": 20.889, "lng": 70.402}, headers=device)
    assert r.status_code == 201 and r.get_json()["lat"] == 20.889
    assert_error(client.post(f"{API}/units/{unit_id}/position", json={"lat": 20.9, "lng": 70.4},
                             headers={"X-Device-Key": other_key}), 403)
    assert_error(client.post(f"{API}/units/{unit_id}/position", json={"lat": 20.9, "lng": 70.4},
                             headers={"X-Device-Key": "sk_wrong"}), 401)
    assert_error(client.post(f"{API}/units/{unit_id}/position", json={"lat": 200, "lng": 70.4}, headers=device), 422)
    assert client.post(f"{API}/units/{unit_id}/arrived", headers=device).get_json()["status"] == "on_scene"
    assert_error(client.post(f"{API}/units/{unit_id}/arrived", headers=device), 409, "invalid_transition")
    r = client.post(f"{API}/units/{unit_id}/released", headers=as_("safety_officer"))
    assert r.status_code == 200 and r.get_json()["status"] == "available"
    incident = client.get(f"{API}/incidents/{code}", headers=as_("operator")).get_json()
    assert incident["arrived_at"] and incident["units"][0]["status"] == "released"
    assert [t["action"] for t in incident["timeline"]][-3:] == ["dispatched", "arrived", "released"]


def test_stats_as_json_and_as_a_png_chart(client, as_):  # PW-17
    IncidentFactory(type="fire")
    IncidentFactory(type="medical")
    r = client.get(f"{API}/incidents/stats", headers=as_("operator"))
    assert r.status_code == 200
    body = r.get_json()
    assert body["total"] == 2 and body["by_type"] == {"medical": 1, "fire": 1}
    assert set(body["response_minutes"]) == {"acknowledge", "dispatch", "arrive", "resolve"}
    png = client.get(f"{API}/incidents/stats.png", headers=as_("safety_officer"))
    assert png.status_code == 200 and png.mimetype == "image/png" and png.data.startswith(b"\x89PNG")
    accept = client.get(f"{API}/incidents/stats", headers={**as_("operator"), "Accept": "image/png"})
    assert accept.mimetype == "image/png"
    assert_error(client.get(f"{API}/incidents/stats", headers=as_("user")), 403)


def test_a_public_warning_raises_an_alert_and_overrides_the_area_s_signs(client, as_, somnath):  # SC-7, CA-4
    body = {"severity": "critical", "title": "Evacuate the main hall", "message": "Use the east gate.",
            "scope": "zone", "temple": "somnath", "zone": "mainDarshan", "channels": ["app", "sms", "signs"]}
    assert_error(client.post(f"{API}/broadcasts", json=body, headers=as_("operator")), 403)
    r = client.post(f"{API}/broadcasts", json=body, headers=as_("safety_officer"))
    assert r.status_code == 201, r.get_json()
    sent = r.get_json()
    assert sent["alert"]["title"] == "Evacuate the main hall" and sent["alert"]["zone"] == "mainDarshan"
    assert sent["sign_override"]["signs"] == 0 and sent["sms_sent"] == 0 and sent["id"]  # no sign in that zone
    active = client.get("/api/v1/alerts?active=true").get_json()
    assert [a["id"] for a in active] == [sent["alert"]["id"]]
    for change, field in (({"zone": None}, "zone"), ({"temple": "atlantis"}, "temple"),
                          ({"channels": []}, "channels"), ({"channels": ["app", "app"]}, "channels"),
                          ({"channels": ["pigeon"]}, "channels"), ({"severity": "low"}, "severity")):
        bad = client.post(f"{API}/broadcasts", json={**body, **change}, headers=as_("safety_officer"))
        assert field in assert_error(bad, 422)["errors"], (change, bad.get_json())
    assert len(client.get(f"{API}/broadcasts", headers=as_("operator")).get_json()) == 1


def test_procedures_are_readable_by_staff_and_written_by_officers(client, as_):  # CR-3
    body = {"incident_type": "fire", "title": "Kitchen fire", "steps": ["Raise the alarm", "Evacuate"],
            "contacts": [{"name": "Fire control", "phone": "101"}]}
    assert_error(client.post(f"{API}/procedures", json=body, headers=as_("operator")), 403)
    assert client.post(f"{API}/procedures", json=body, headers=as_("safety_officer")).status_code == 201
    assert_error(client.post(f"{API}/procedures", json=body, headers=as_("safety_officer")), 409)
    bad = client.post(f"{API}/procedures", json={**body, "steps": [], "incident_type": "volcano"},
                      headers=as_("safety_officer"))
    assert set(assert_error(bad, 422)["errors"]) == {"steps", "incident_type"}
    [procedure] = client.get(f"{API}/procedures?type=fire", headers=as_("reception")).get_json()
    assert procedure["steps"] == ["Raise the alarm", "Evacuate"]
    assert_error(client.get(f"{API}/procedures", headers=as_("user")), 403)


def test_an_inspection_with_a_failed_item_opens_a_corrective_action(client, as_, person):  # CR-3
    assignee = person("operator", "Kiran Desai")
    r = client.post(f"{API}/inspections", headers=as_("safety_officer"), json={
        "title": "Fire walk", "site": "Main hall", "due_on": str(TODAY + timedelta(days=3)), "assignee_id": assignee.id,
        "items": ["Extinguishers", "Exits"]})
    assert r.status_code == 201, r.get_json()
    inspection = r.get_json()
    first, second = (i["id"] for i in inspection["items"])
    r = client.post(f"{API}/inspections/{inspection['id']}/results", headers=as_("safety_officer"), json={
        "results": [{"item_id": first, "result": "pass"},
                    {"item_id": second, "result": "fail", "note": "Blocked", "action": {"due_on": "2026-03-10"}}]})
    assert r.status_code == 200 and r.get_json()["status"] == "completed"
    action = r.get_json()["items"][1]["corrective_action"]
    assert (action["owner_id"], action["due_on"], action["status"]) == (assignee.id, "2026-03-10", "open")
    again = client.post(f"{API}/inspections/{inspection['id']}/results", headers=as_("safety_officer"),
                        json={"results": [{"item_id": first, "result": "fail"}]})
    assert_error(again, 409, "invalid_transition")
    assert_error(client.post(f"{API}/inspections/999999/results", headers=as_("safety_officer"),
                             json={"results": [{"item_id": 1, "result": "pass"}]}), 404)
    assert "result" in str(assert_error(client.post(
        f"{API}/inspections/{inspection['id']}/results", headers=as_("safety_officer"),
        json={"results": [{"item_id": first, "result": "maybe"}]}), 422)["errors"])
    closed = client.post(f"{API}/corrective-actions/{action['id']}/close", json={"note": "Cleared"},
                         headers=as_("safety_officer"))
    assert closed.get_json()["status"] == "closed"
    assert_error(client.get(f"{API}/inspections", headers=as_("operator")), 403)


def test_trainings_hazards_and_compliance(client, as_):  # CR-3
    officer = as_("safety_officer")
    r = client.post(f"{API}/trainings", headers=officer, json={
        "person": "Ramesh Gohil", "course": "First aid", "completed_on": str(TODAY - timedelta(days=800)),
        "valid_until": str(TODAY - timedelta(days=60))})
    assert r.status_code == 201
    assert "valid_until" in assert_error(client.post(f"{API}/trainings", headers=officer, json={
        "person": "A", "course": "B", "completed_on": str(TODAY), "valid_until": str(TODAY - timedelta(days=1))}),
        422)["errors"]
    r = client.post(f"{API}/hazards", headers=officer, json={
        "title": "Crowd crush at gate", "location": "Gate 1", "likelihood": 4, "severity": 5,
        "review_on": "2026-04-01"})
    assert r.status_code == 201 and (r.get_json()["risk_score"], r.get_json()["band"]) == (20, "extreme")
    hazard_id = r.get_json()["id"]
    assert "likelihood" in assert_error(client.post(f"{API}/hazards", headers=officer, json={
        "title": "x", "location": "y", "likelihood": 6, "severity": 1, "review_on": "2026-04-01"}), 422)["errors"]
    patched = client.patch(f"{API}/hazards/{hazard_id}", headers=officer, json={"likelihood": 1})
    assert (patched.get_json()["risk_score"], patched.get_json()["band"]) == (5, "medium")
    assert_error(client.patch(f"{API}/hazards/{hazard_id}", headers=officer, json={"severity": None}), 422)
    assert_error(client.patch(f"{API}/hazards/999999", headers=officer, json={"severity": 2}), 404)
    compliance = client.get(f"{API}/compliance", headers=officer).get_json()
    assert [t["person"] for t in compliance["expired_trainings"]] == ["Ramesh Gohil"]
    assert compliance["open_high_risks"] == [] and compliance["summary"]["expired_trainings"] == 1
    assert len(client.get(f"{API}/hazards?band=medium", headers=officer).get_json()) == 1
    assert_error(client.get(f"{API}/compliance", headers=as_("operator")), 403)


def test_every_safety_path_is_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    for path in ("/sos", "/incidents", "/incidents/active", "/incidents/{code}", "/incidents/{code}/acknowledge",
                 "/incidents/{code}/dispatch", "/incidents/stats", "/units", "/units/{unit_id}/position",
                 "/units/{unit_id}/arrived", "/broadcasts", "/procedures", "/inspections/{inspection_id}/results",
                 "/trainings", "/hazards/{hazard_id}", "/compliance"):
        assert f"{API}{path}" in paths, path


def test_nothing_changes_on_refused_requests(client, as_):
    unit_id = UnitFactory().id
    client.post(f"{API}/units/{unit_id}/arrived", headers=as_("safety_officer"))
    client.patch(f"{API}/units/{unit_id}", json={"status": "on_scene"}, headers=as_("safety_officer"))
    db.session.expire_all()
    assert db.session.get(Unit, unit_id).status == "available"


def test_a_public_warning_reaches_every_sign_of_its_zone_and_no_other(client, as_, somnath):  # SC-7, CA-4
    from tests.factories.signs import SignFactory

    inside = [SignFactory(temple_id=somnath.id, zone="mainDarshan").id for _ in range(2)]
    elsewhere = SignFactory(temple_id=somnath.id, zone="museum").id
    body = {"severity": "critical", "title": "Evacuate the main hall", "message": "Use the east gate.",
            "scope": "zone", "temple": "somnath", "zone": "mainDarshan", "channels": ["signs"]}
    sent = client.post(f"{API}/broadcasts", json=body, headers=as_("safety_officer")).get_json()
    override = sent["sign_override"]
    assert override["signs"] == 2 and override["status"] == "active" and override["acknowledged"] == 0
    detail = client.get(f"/api/v1/city/signs/overrides/{override['id']}", headers=as_("operator")).get_json()
    assert sorted(d["sign"]["id"] for d in detail["deliveries"]) == sorted(inside) and elsewhere not in inside
