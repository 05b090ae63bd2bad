"""Two web processes sharing the database and the Redis message queue: a sign on one, an operator on the other.

Each process is its own gunicorn (as two containers behind nginx's sticky upstream would be); clients
use the websocket transport, so a connection stays on the process it reached. What one process learns
(a sign connected, acknowledged, left) reaches an operator on the other, and what an operator does on
one reaches a sign on the other; both answer the same over HTTP.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import socketio

from tests.conftest import needs_redis
from tests.platform.servers import free_port

pytestmark = needs_redis
ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ADMIN = ("signs-processes@sangam.in", "Signs-processes-passw0rd")


def _wait_for(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def two_processes(tmp_path_factory):
    """Two gunicorn processes on their own ports, one SQLite database file, one Redis."""
    tmp = tmp_path_factory.mktemp("signs-processes")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp / 'signs.db'}", "REDIS_URL": os.environ["REDIS_URL"],
           "SECRET_KEY": "signs-processes-secret-1", "JWT_SECRET_KEY": "signs-processes-secret-2",
           "SANGAM_INSTANCE_DIR": str(tmp), "FLASK_APP": "wsgi", "WEB_WORKERS": "1", "WEB_THREADS": "16",
           "RATELIMIT_ENABLED": "0", "LOG_LEVEL": "WARNING", "SIGNS_SWEEP_SECONDS": "1"}
    run = {"cwd": ROOT, "env": env, "check": True, "capture_output": True, "timeout": 120}
    subprocess.run([str(BIN / "flask"), "db", "upgrade"], **run)
    subprocess.run([str(BIN / "flask"), "create-admin", "--email", ADMIN[0], "--password", ADMIN[1]], **run)
    ports, procs = [free_port(), free_port()], []
    logs = [open(tmp / f"web{i}.log", "wb") for i in range(2)]  # noqa: SIM115 - closed below
    try:
        for port, log in zip(ports, logs, strict=True):
            procs.append(subprocess.Popen([str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                                          env={**env, "PORT": str(port)}, stdout=log, stderr=subprocess.STDOUT))
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base in bases:
            _wait_for(lambda b=base: requests.get(f"{b}/health", timeout=1).status_code == 200, 30, base)
        yield bases
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        for log in logs:
            log.close()


class Recorder:
    def __init__(self, names, namespace="/"):
        self.client, self.inbox = socketio.Client(reconnection=False), queue.Queue()
        for name in names:
            self.client.on(name, lambda data=None, n=name: self.inbox.put((n, data)), namespace=namespace)

    def next(self, name: str, timeout: float = 10.0):
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                got, data = self.inbox.get(timeout=left)
            except queue.Empty:
                break
            if got == name:
                return data
        raise AssertionError(f"no {name} within {timeout}s")


def _login(base: str) -> dict:
    r = requests.post(f"{base}/api/v1/auth/login", json={"email": ADMIN[0], "password": ADMIN[1]}, timeout=10)
    r.raise_for_status()
    return r.json()


def test_a_sign_on_one_process_and_an_operator_on_the_other(two_processes):  # CA-1 … CA-4
    here, there = two_processes  # the sign's process, the operator's process
    session = _login(there)
    headers = {"Authorization": f"Bearer {session['access_token']}"}
    r = requests.post(f"{there}/api/v1/city/signs", json={"name": "Ghat steps", "zone": "ghat", "lat": 20.893,
                                                          "lng": 70.405}, headers=headers, timeout=10)
    sign_id, key = r.json()["id"], r.json()["key"]
    operator = Recorder(("sign_connected", "sign_disconnected", "message_ack", "override_activated"))
    operator.client.connect(there, auth={"token": session["access_token"]}, transports=["websocket"], wait_timeout=10)
    sign = Recorder(("override", "override_cancelled"), namespace="/signs")
    try:
        assert operator.client.call("subscribe", {"channel": "signs"}, timeout=10)["ok"] is True
        sign.client.connect(here, namespaces=["/signs"], auth={"device_key": key}, transports=["websocket"],
                            wait_timeout=10)
        assert operator.next("sign_connected")["id"] == sign_id
        assert requests.get(f"{there}/api/v1/city/signs/{sign_id}", headers=headers, timeout=10).json()["status"] == \
            "online"
        override = requests.post(f"{there}/api/v1/city/signs/overrides", json={
            "text": "Use the east exit", "severity": "warning", "targets": {"sign_ids": [sign_id]}},
            headers=headers, timeout=10).json()
        assert sign.next("override")["id"] == override["id"]
        assert sign.client.call("ack", {"override_id": override["id"]}, namespace="/signs", timeout=10)["ok"] is True
        assert operator.next("message_ack")["override_id"] == override["id"]
        detail = requests.get(f"{here}/api/v1/city/signs/overrides/{override['id']}", headers=headers, timeout=10)
        assert detail.json()["acknowledged"] == 1
        sign.client.disconnect()
        assert operator.next("sign_disconnected")["id"] == sign_id
        assert requests.get(f"{here}/api/v1/city/signs/{sign_id}", headers=headers, timeout=10).json()["status"] == \
            "offline"
        back = Recorder(("override",), namespace="/signs")  # it comes back through the other process
        back.client.connect(there, namespaces=["/signs"], auth={"device_key": key}, transports=["websocket"],
                            wait_timeout=10)
        assert back.next("override")["id"] == override["id"]  # at once: what it should be showing
        back.client.disconnect()
    finally:
        for client in (operator.client, sign.client):
            if client.connected:
                client.disconnect()
