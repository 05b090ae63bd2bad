"""Cached reads are fresh after writes; Redis outages degrade, never fail (VP-10 mechanism)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from app.core.cache import cached_read
from app.core.events import Event, publish, transactional
from tests.conftest import assert_error

CALLS = []


@cached_read("test.counter", timeout=300, invalidated_by=("test.counter_",))
def counted(key: int) -> dict:
    CALLS.append(key)
    return {"key": key, "calls": len(CALLS)}


@transactional
def change(name: str) -> None:
    publish(Event(name=name, audit=False))


def test_cached_read_hits_and_is_invalidated_by_its_events():
    CALLS.clear()
    assert counted(1) == {"key": 1, "calls": 1}
    assert counted(1) == {"key": 1, "calls": 1}  # served from the cache
    assert counted(2)["calls"] == 2  # another key
    change("test.unrelated_event")
    assert counted(1)["calls"] == 1
    change("test.counter_changed")
    assert counted(1)["calls"] == 3  # fresh after the write


def test_active_alerts_are_fresh_after_a_new_alert(client, auth_headers):
    assert client.get("/api/v1/alerts?active=true").get_json() == []
    client.post("/api/v1/alerts", json={"scope": "city", "severity": "info", "title": "Heat", "message": "Water"},
                headers=auth_headers("operator"))
    assert [a["title"] for a in client.get("/api/v1/alerts?active=true").get_json()] == ["Heat"]


def test_default_rate_limit_answers_429_json(app, client, monkeypatch):
    from app.extensions import limiter

    # the default limit applies per client address to every endpoint
    for _ in range(300):
        client.get("/api/v1/alerts?active=true")
    r = client.get("/api/v1/alerts?active=true")
    assert_error(r, 429, "rate_limited")
    assert int(r.headers["Retry-After"]) >= 1
    limiter.reset()


SCRIPT = r"""
import json, os
from app import create_app
app = create_app()
c = app.test_client()
health = c.get("/health")
alerts = c.get("/api/v1/alerts?active=true")
logins = [c.post("/api/v1/auth/login", json={"email": "x@y.in", "password": "Wrong-passw0rd"}).status_code
          for _ in range(12)]
print(json.dumps({"health": [health.status_code, health.get_json()], "alerts": alerts.status_code,
                  "logins": logins}))
"""


def test_redis_down_in_production_mode_degrades(tmp_path):
    """Production mode with Redis on a closed port: reads work, limits fall back, /health degraded."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.db'}", "REDIS_URL": "redis://127.0.0.1:1/0",
           "SECRET_KEY": "redis-down-test-secret-1", "JWT_SECRET_KEY": "redis-down-test-secret-2",
           "SANGAM_INSTANCE_DIR": str(tmp_path), "FLASK_APP": "wsgi", "LOG_LEVEL": "CRITICAL"}
    root = Path(__file__).resolve().parents[2]
    flask = Path(sys.executable).with_name("flask")
    subprocess.run([str(flask), "db", "upgrade"], cwd=root, env=env, check=True, capture_output=True, timeout=60)
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=root, env=env, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    status, body = result["health"]
    assert status == 200 and body["status"] == "degraded"
    assert body["services"] == {"database": "ok", "redis": "down", "broker": "down"}
    assert result["alerts"] == 200  # the cached read falls back to the database
    assert result["logins"][:10] == [401] * 10 and result["logins"][-1] == 429  # in-memory fallback limiter


def test_a_spoofed_forwarded_for_does_not_dodge_the_login_limit(app, client):
    """Reached directly (no proxy declared), X-Forwarded-For is a header like any other."""
    assert app.config["TRUSTED_PROXIES"] == 0
    limit = int(app.config["RATELIMIT_AUTH"].split()[0])
    answers = [client.post("/api/v1/auth/login", json={"email": f"nobody{n}@x.in", "password": "wrong-passw0rd1"},
                           headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in range(limit + 1)]
    assert answers[:limit] == [401] * limit and answers[-1] == 429
