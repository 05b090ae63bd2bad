"""The production stack for real: gunicorn + a Celery worker + Redis, reached over HTTP and Socket.IO.

A real python-socketio client receives an event that the Celery worker emitted through the Redis
message queue, and a background export is completed by the worker and downloaded.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import redis
import requests
import socketio

from tests.conftest import REDIS, needs_redis
from tests.platform.servers import free_port

pytestmark = needs_redis
ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ADMIN = ("stack-admin@sangam.in", "Stack-admin-passw0rd")


def _wait_for(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = check()
            if value:
                return value
        except Exception:
            pass
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("stack")
    redis_url = os.environ["REDIS_URL"] if REDIS else ""  # this run's own Redis db: no cross-run collisions
    redis.Redis.from_url(redis_url).delete("default", "notifications", "exports", "unacked", "unacked_index")
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp / 'stack.db'}", "REDIS_URL": redis_url,
           "SECRET_KEY": "stack-test-secret-key-1", "JWT_SECRET_KEY": "stack-test-secret-key-2",
           "SANGAM_INSTANCE_DIR": str(tmp), "EXPORT_DIR": str(tmp / "exports"), "FLASK_APP": "wsgi",
           "PORT": str(port), "WEB_THREADS": "8", "RATELIMIT_ENABLED": "0", "LOG_LEVEL": "WARNING"}
    run = {"cwd": ROOT, "env": env, "check": True, "capture_output": True, "timeout": 120}
    subprocess.run([str(BIN / "flask"), "db", "upgrade"], **run)
    subprocess.run([str(BIN / "flask"), "create-admin", "--email", ADMIN[0], "--password", ADMIN[1]], **run)
    logs = {name: open(tmp / f"{name}.log", "wb") for name in ("web", "worker")}  # noqa: SIM115 - closed below
    procs = [
        subprocess.Popen([str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT, env=env,
                         stdout=logs["web"], stderr=subprocess.STDOUT),
        subprocess.Popen([str(BIN / "celery"), "-A", "celery_worker.celery", "worker", "--pool=solo",
                          "-Q", "default,notifications,exports", "--loglevel=WARNING"], cwd=ROOT, env=env,
                         stdout=logs["worker"], stderr=subprocess.STDOUT),
    ]
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(lambda: requests.get(f"{base}/health", timeout=1).status_code == 200, 30, "gunicorn")
        _wait_for(lambda: subprocess.run([str(BIN / "celery"), "-A", "celery_worker.celery", "inspect", "ping",
                                          "--timeout", "1"], cwd=ROOT, env=env, capture_output=True,
                                         timeout=20).returncode == 0, 40, "the celery worker")
        yield {"base": base, "env": env, "tmp": tmp}
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        for handle in logs.values():
            handle.close()


def _token(base: str) -> str:
    r = requests.post(f"{base}/api/v1/auth/login", json={"email": ADMIN[0], "password": ADMIN[1]}, timeout=5)
    return r.json()["access_token"]


def test_health_sees_redis_and_broker(stack):
    body = requests.get(f"{stack['base']}/health", timeout=5).json()
    assert body == {"status": "ok", "services": {"database": "ok", "redis": "ok", "broker": "ok"}}


def test_worker_emits_through_redis_to_a_real_socketio_client(app, stack):
    from app.core.domain import channels

    if "city" not in channels():
        pytest.skip("the `city` channel is declared by the city domain")
    received, got = [], threading.Event()
    client = socketio.Client(reconnection=False)

    @client.on("system_update")
    def on_update(data):
        received.append(data)
        got.set()

    client.connect(stack["base"], auth={"token": _token(stack["base"])}, transports=["websocket"], wait_timeout=10)
    try:
        ack = client.call("subscribe", {"channel": "city"}, timeout=10)
        assert ack == {"ok": True, "room": "city"}
        subprocess.run([str(BIN / "celery"), "-A", "celery_worker.celery", "call",
                        "tasks.housekeeping.broadcast_system_update", "--args", '["Shuttle service resumed"]'],
                       cwd=ROOT, env=stack["env"], check=True, capture_output=True, timeout=30)
        assert got.wait(20), "no system_update arrived"
    finally:
        client.disconnect()
    assert received[0]["message"] == "Shuttle service resumed"


def test_export_completed_by_a_real_worker(stack):
    base, headers = stack["base"], {"Authorization": f"Bearer {_token(stack['base'])}"}
    r = requests.post(f"{base}/api/v1/reports/exports", json={"dataset": "audit", "format": "csv"}, headers=headers,
                      timeout=5)
    assert r.status_code == 202 and r.json()["status"] == "queued"
    job_url = f"{base}/api/v1/reports/exports/{r.json()['id']}"
    job = _wait_for(lambda: (j := requests.get(job_url, headers=headers, timeout=5).json())["status"] == "done" and j,
                    30, "the export")
    download = requests.get(f"{base}{job['download_url']}", headers=headers, timeout=5)
    assert download.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert len(rows) == job["rows"] and any(ADMIN[0] in row["Changes"] for row in rows)
