"""Logs, metrics, CORS and health in depth (PW-21, SC-10, SC-11)."""

import io
import json
import logging

import pytest
from prometheus_client.parser import text_string_to_metric_families

from app.core.observability import JsonFormatter
from tests.conftest import assert_error

ORIGIN = "https://console.sangam.example"


@pytest.fixture
def json_log():
    """Capture Sangam's log lines exactly as production writes them (JSON, one per line)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("sangam")
    logger.addHandler(handler)

    def lines() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield lines
    logger.removeHandler(handler)


def sample(client, name: str, **labels) -> float:
    text = client.get("/metrics").get_data(as_text=True)
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()):
                return s.value
    return 0.0


def test_every_request_writes_a_json_line_with_its_request_id(client, json_log):
    client.get("/health", headers={"X-Request-ID": "trace-7"})
    line = next(rec for rec in json_log() if rec.get("event") == "request")
    assert line["request_id"] == "trace-7" and line["path"] == "/health" and line["status"] == 200
    assert line["method"] == "GET" and line["duration_ms"] >= 0 and line["level"] == "INFO"


def test_unexpected_error_is_logged_as_json_with_request_id_and_trace(client, json_log):
    r = client.get("/__test__/boom", headers={"X-Request-ID": "req-boom-2"})
    body = assert_error(r, 500, "internal_error")
    assert "boom" not in json.dumps(body) and r.headers["X-Request-ID"] == "req-boom-2"
    error = next(rec for rec in json_log() if rec["logger"] == "sangam.errors")
    assert error["request_id"] == "req-boom-2" and error["level"] == "ERROR"
    assert "RuntimeError: boom" in error["exc"]


def test_metrics_count_requests_and_latency_per_endpoint(client):
    labels = {"method": "GET", "endpoint": "/api/v1/users/<int:user_id>"}
    before = sample(client, "sangam_http_requests_total", status="401", **labels)
    latency_before = sample(client, "sangam_http_request_duration_seconds_count", **labels)
    for _ in range(3):
        client.get("/api/v1/users/5")
    assert sample(client, "sangam_http_requests_total", status="401", **labels) == before + 3
    assert sample(client, "sangam_http_request_duration_seconds_count", **labels) == latency_before + 3
    client.get("/no/such/page")  # unknown paths share one label: no label explosion
    assert sample(client, "sangam_http_requests_total", endpoint="unmatched", status="404") >= 1


def test_cors_preflight_only_for_allowed_origins(client):
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "Authorization"}
    ok = client.options("/api/v1/auth/login", headers={"Origin": ORIGIN, **preflight})
    assert ok.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "POST" in ok.headers["Access-Control-Allow-Methods"]
    other = client.options("/api/v1/auth/login", headers={"Origin": "https://evil.example", **preflight})
    assert "Access-Control-Allow-Origin" not in other.headers
    exposed = client.get("/health", headers={"Origin": ORIGIN}).headers["Access-Control-Expose-Headers"]
    assert "X-Request-ID" in exposed and "X-Pagination" in exposed


def test_unknown_paths_outside_the_api_are_json_too(client):
    assert_error(client.get("/nothing/here", headers={"Accept": "text/html"}), 404, "not_found")
    assert_error(client.delete("/api/v1/auth/login"), 405, "method_not_allowed")


def test_health_is_degraded_when_redis_is_down(app, client, monkeypatch):  # SC-10
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    r = client.get("/health")
    assert r.status_code == 200
    assert r.get_json() == {"status": "degraded",
                            "services": {"database": "ok", "redis": "down", "broker": "absent"}}
