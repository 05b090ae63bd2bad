"""Errors, docs, health, metrics, request ids, CORS, security headers (PW-21, SC-10)."""


import pytest
from sqlalchemy import create_engine

from app.extensions import db
from tests.conftest import assert_error

ORIGIN = "https://console.sangam.example"


def test_unknown_route_and_method_are_json(client):
    assert_error(client.get("/api/v1/does-not-exist", headers={"Accept": "text/html"}), 404, "not_found")
    assert_error(client.put("/health"), 405, "method_not_allowed")


def test_invalid_json_body_is_a_json_400(client):
    body = assert_error(client.post("/api/v1/auth/login", data="{not json", content_type="application/json"), 400,
                        "bad_request")
    assert body["message"] == "The request body is not valid JSON."
    assert body["errors"] == {"json": ["Invalid JSON body: unexpected character, expected a string key."]}


@pytest.mark.parametrize(("body", "reason"), [
    ("[" * 100_000, "depth limit exceeded"),  # was a RecursionError (500)
    ('{"email": "\\udfff@x.in", "password": "x"}', "invalid high surrogate"),  # was a UnicodeEncodeError (500)
    ('{"email": "a@x.in", "password": NaN}', "unexpected character"),
])
def test_bodies_that_used_to_crash_are_a_clear_400(client, body, reason):
    from app.auth.models import User
    from app.extensions import db

    answer = assert_error(client.post("/api/v1/auth/login", data=body, content_type="application/json"), 400,
                          "bad_request")
    assert reason in answer["errors"]["json"][0]
    assert db.session.query(User).count() == 0


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data"])
def test_a_body_that_is_not_json_is_415(client, content_type):
    r = client.post("/api/v1/auth/login", data="email=a@x.in&password=x", content_type=content_type)
    assert_error(r, 415, "unsupported_media_type")


def test_too_large_body_is_413_json(client):
    r = client.post("/api/v1/auth/register", data="x" * (300 * 1024), content_type="application/json")
    assert_error(r, 413, "payload_too_large")


def test_integrity_error_is_409_and_rolled_back(client):
    from app.auth.models import User

    assert_error(client.post("/__test__/integrity"), 409, "conflict")
    assert db.session.query(User).filter_by(email="same@test.in").count() == 0


def test_request_id_is_honoured_or_generated(client):
    assert client.get("/health", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"] == "abc-123"
    generated = client.get("/health", headers={"X-Request-ID": "bad id with spaces"}).headers["X-Request-ID"]
    assert generated and " " not in generated


def test_security_headers(client):
    r = client.get("/health")
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["X-Frame-Options"] == "DENY"
    assert "Referrer-Policy" in r.headers


def test_cors_allow_list(client):
    ok = client.get("/health", headers={"Origin": ORIGIN})
    assert ok.headers.get("Access-Control-Allow-Origin") == ORIGIN
    other = client.get("/health", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_health_reports_services(client):
    r = client.get("/health")
    assert r.status_code == 200
    body = r.get_json()
    assert body["status"] in ("ok", "degraded")
    assert body["services"]["database"] == "ok"
    assert set(body["services"]) == {"database", "redis", "broker"}
    assert all(v in ("ok", "absent", "down") for v in body["services"].values())


def test_health_503_when_database_is_down(client, monkeypatch):  # SC-10
    dead = create_engine("postgresql+psycopg://postgres@127.0.0.1:1/none", connect_args={"connect_timeout": 1})
    monkeypatch.setitem(db.engines, None, dead)
    r = client.get("/health")
    assert r.status_code == 503
    assert r.get_json()["services"]["database"] == "down"


def test_metrics_prometheus_counts_requests(client):
    client.get("/health")
    text = client.get("/metrics").get_data(as_text=True)
    assert "sangam_http_requests_total" in text
    assert 'endpoint="/health"' in text
    assert "sangam_http_request_duration_seconds_bucket" in text


def test_docs_pages_render(client):
    r = client.get("/api/docs")
    assert r.status_code == 200 and b"swagger-ui" in r.data
    assert client.get("/api/docs/assets/swagger-ui-bundle.js").status_code == 200
    redoc = client.get("/api/redoc")
    assert redoc.status_code == 200 and redoc.mimetype == "text/html"
    assert b'src="/api/redoc/assets/redoc.standalone.js"' in redoc.data  # served here: works offline
    script = client.get("/api/redoc/assets/redoc.standalone.js")
    assert script.status_code == 200 and b"ReDoc" in script.data[:500]


def test_out_of_range_numbers_are_422_not_500(client, auth_headers):  # found by fuzzing the OpenAPI spec
    admin = auth_headers("admin")
    huge = 10**30
    assert_error(client.get(f"/api/v1/users/{huge}", headers=admin), 404, "not_found")  # no such id: int32 ids only
    assert_error(client.get(f"/api/v1/users?page={huge}", headers=admin), 422, "validation_error")


def test_nul_characters_are_refused_alike_on_every_database(client, auth_headers):
    from app.auth.models import User
    from app.extensions import db

    body = {"email": "nul@sangam.in", "password": "Correct-h0rse-battery", "full_name": "A\x00B"}
    r = assert_error(client.post("/api/v1/auth/register", json=body), 422, "validation_error")
    assert "NUL" in r["message"] and db.session.query(User).filter_by(email="nul@sangam.in").count() == 0
    assert_error(client.get("/api/v1/temples/so%00m"), 422, "validation_error")
    assert_error(client.get("/api/v1/alerts?temple=%00"), 422, "validation_error")
    assert client.post("/api/v1/auth/register", json={**body, "full_name": "A B"}).status_code == 201


def test_a_patch_must_name_a_change(client, auth_headers):  # found by fuzzing the OpenAPI spec
    me = auth_headers()
    for kwargs in ({}, {"json": {}}):
        body = assert_error(client.patch("/api/v1/auth/me", headers=me, **kwargs), 422, "validation_error")
        assert body["errors"] == {"_schema": ["Give at least one field to change."]}
    r = client.patch("/api/v1/auth/me", headers=me, json={"full_name": "Asha Patel"})
    assert r.status_code == 200 and r.get_json()["full_name"] == "Asha Patel"


def test_json_booleans_must_be_booleans(client, auth_headers):  # found by fuzzing the OpenAPI spec
    me = auth_headers()
    for bad in (0, "false", "no", 1):
        body = assert_error(client.patch("/api/v1/auth/me", headers=me, json={"reminders": bad}), 422)
        assert body["errors"] == {"reminders": ["Not a valid boolean: use true or false."]}
    assert client.get("/api/v1/auth/me", headers=me).get_json()["reminders"] is True  # unchanged
    assert client.patch("/api/v1/auth/me", headers=me, json={"reminders": False}).get_json()["reminders"] is False


def test_json_integers_must_be_integers(client, auth_headers):  # found by fuzzing the OpenAPI spec
    from app.extensions import db
    from app.parking.models import ParkingLot

    admin = auth_headers("admin")
    lot = {"name": "Gate 2", "address": "Temple Road", "pin_code": "362268", "price_per_hour": "20.00"}
    for bad in (2.5, "3", 1e-42):
        body = assert_error(client.post("/api/v1/parking/lots", json={**lot, "total_spots": bad}, headers=admin), 422)
        assert "total_spots" in body["errors"]
    assert db.session.query(ParkingLot).count() == 0
    assert client.post("/api/v1/parking/lots", json={**lot, "total_spots": 3}, headers=admin).status_code == 201
    assert client.get("/api/v1/parking/lots?page_size=3").status_code == 200  # query strings stay text
