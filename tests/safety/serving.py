"""The embedded demo (`make run`: SQLite, no Redis) served on a free port, for real-client tests."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.platform.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PASSWORD = "Safety-demo-passw0rd"


@contextlib.contextmanager
def demo_server(tmp: Path):
    """Migrate, seed the demo data and serve it; yield the base URL."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "SANGAM_TEST_CLOCK")}
    env |= {"SANGAM_INSTANCE_DIR": str(tmp), "FLASK_APP": "wsgi", "DEMO_PASSWORD": PASSWORD, "LOG_LEVEL": "WARNING",
            "EXPORT_DIR": str(tmp / "exports"), "RATELIMIT_ENABLED": "0"}
    run = {"cwd": ROOT, "env": env, "check": True, "capture_output": True, "timeout": 180}
    subprocess.run([str(BIN / "flask"), "db", "upgrade"], **run)
    subprocess.run([str(BIN / "flask"), "seed-demo"], **run)
    with open(tmp / "server.log", "wb") as log:
        server = subprocess.Popen([str(BIN / "python"), "run.py", "--port", str(port)], cwd=ROOT, env=env,
                                  stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if requests.get(f"{base}/health", timeout=1).status_code == 200:
                        break
                except requests.ConnectionError:
                    pass
                assert time.monotonic() < deadline, (tmp / "server.log").read_text()
                time.sleep(0.2)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=10)


def login(base: str, role: str) -> str:
    """The access token of the demo account of ``role``."""
    email = f"{role.replace('_', '.')}@demo.sangam.local"
    r = requests.post(f"{base}/api/v1/auth/login", json={"email": email, "password": PASSWORD}, timeout=5)
    assert r.status_code == 200, r.text
    return r.json()["access_token"]
