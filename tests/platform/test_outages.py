"""Outages, for real: a private Redis stopped, paused (SIGSTOP) and restarted; a Celery worker killed mid-export.

Each test serves the production stack in subprocesses — gunicorn and a Celery worker on a PostgreSQL
database of its own, with this test's own ``redis-server`` — and checks what a user would see: quick answers while Redis
hangs, work done once Redis is back (the outbox), an export finished after its worker died.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
import requests

from tests.conftest import needs_postgres, needs_redis
from tests.platform.servers import SMTPServer, free_port

pytestmark = [needs_redis, needs_postgres,
              pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server")]
ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ADMIN = ("outage-admin@sangam.in", "Outage-admin-passw0rd")


def wait_for(check, timeout: float, what: str):
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


class PrivateRedis:
    """A redis-server of this test's own on a free port: start, stop, pause (SIGSTOP), resume."""

    def __init__(self, folder: Path):
        self.port, self.folder, self.proc = free_port(), folder, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no", "--dir", str(self.folder)], stdout=subprocess.DEVNULL)
        import redis

        wait_for(lambda: redis.Redis.from_url(self.url, socket_timeout=0.5).ping(), 10, "redis-server")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)

    def pause(self) -> None:
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.proc.send_signal(signal.SIGCONT)


def fresh_database() -> str:
    """A PostgreSQL database of this test's own on the test server; its URL."""
    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    name = f"sangam_outage_{os.getpid()}_{free_port()}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return f"{server}/{name}"


def drop_database(url: str) -> None:
    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


class Stack:
    """gunicorn (and Celery workers on demand) on a database of its own, with the given Redis."""

    def __init__(self, tmp: Path, redis_url: str, extra: dict | None = None):
        self.tmp, self.port = tmp, free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.db = fresh_database()
        self.env = {**os.environ, "DATABASE_URL": self.db, "REDIS_URL": redis_url,
                    "SECRET_KEY": "outage-test-secret-key-1", "JWT_SECRET_KEY": "outage-test-secret-key-2",
                    "SANGAM_INSTANCE_DIR": str(tmp), "EXPORT_DIR": str(tmp / "exports"), "FLASK_APP": "wsgi",
                    "PORT": str(self.port), "WEB_THREADS": "8", "RATELIMIT_ENABLED": "0", "LOG_LEVEL": "WARNING",
                    "OUTBOX_RESEND_SECONDS": "1", **(extra or {})}
        self.procs: list[subprocess.Popen] = []

    def flask(self, *args: str) -> None:
        subprocess.run([str(BIN / "flask"), *args], cwd=ROOT, env=self.env, check=True, capture_output=True,
                       timeout=120)

    def _spawn(self, name: str, argv: list[str], env: dict | None = None) -> subprocess.Popen:
        log = open(self.tmp / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(argv, cwd=ROOT, env=env or self.env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        self.procs.append(proc)
        return proc

    def serve(self) -> None:
        self.flask("db", "upgrade")
        self.flask("create-admin", "--email", ADMIN[0], "--password", ADMIN[1])
        self._spawn("web", [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"])
        wait_for(lambda: requests.get(f"{self.base}/health", timeout=3).status_code == 200, 30, "gunicorn")

    def worker(self, **env) -> subprocess.Popen:
        return self._spawn("worker", [str(BIN / "celery"), "-A", "celery_worker.celery", "worker", "--pool=solo",
                                      "-Q", "default,notifications,exports", "--loglevel=INFO"],
                           {**self.env, **{k: str(v) for k, v in env.items()}})

    def sweep(self) -> None:
        """What beat does every minute: ask a worker to run the outbox sweeper."""
        subprocess.run([str(BIN / "celery"), "-A", "celery_worker.celery", "call", "tasks.housekeeping.sweep_outbox"],
                       cwd=ROOT, env=self.env, check=True, capture_output=True, timeout=60)

    def token(self) -> dict:
        r = requests.post(f"{self.base}/api/v1/auth/login", json={"email": ADMIN[0], "password": ADMIN[1]}, timeout=10)
        return {"Authorization": f"Bearer {r.json()['access_token']}"}

    def close(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        drop_database(self.db)


@contextmanager
def running(tmp: Path, extra: dict | None = None):
    redis_server = PrivateRedis(tmp)
    redis_server.start()
    stack = Stack(tmp, redis_server.url, extra)
    try:
        stack.serve()
        yield redis_server, stack
    finally:
        stack.close()
        redis_server.resume() if redis_server.proc.poll() is None else None
        if redis_server.proc.poll() is None:
            redis_server.stop()


def timed(call) -> tuple[float, requests.Response]:
    started = time.monotonic()
    response = call()
    return time.monotonic() - started, response


def test_a_hung_redis_holds_no_request(tmp_path):
    """The audit: with Redis under SIGSTOP, /health did not answer in 200 s and a booking took 25 s."""
    with running(tmp_path) as (redis_server, stack):
        base, headers = stack.base, stack.token()
        assert requests.post(f"{base}/api/v1/temples", headers=headers, timeout=10, json={
            "slug": "hung", "name": "Hung", "location": "Veraval", "lat": 20.9, "lng": 70.4,
            "zones": [{"slug": "main", "name": "Main", "capacity": 50}]}).status_code == 201
        slot = requests.post(f"{base}/api/v1/temples/hung/slots", headers=headers, timeout=10, json={
            "date_from": "2099-01-01", "date_to": "2099-01-01", "start_time": "06:00", "end_time": "07:00",
            "slot_minutes": 60, "capacity": 10}).json()[0]
        redis_server.pause()
        try:
            took, health = timed(lambda: requests.get(f"{base}/health", timeout=30))
            assert took < 2 and health.status_code == 200
            assert health.json()["status"] == "degraded" and health.json()["services"]["redis"] == "down"
            took, booking = timed(lambda: requests.post(f"{base}/api/v1/bookings", headers=headers, timeout=30,
                                                        json={"slot_id": slot["id"], "party_size": 2, "visitors": []}))
            assert booking.status_code == 201 and took < 3, (booking.status_code, took)
            took, kpis = timed(lambda: requests.get(f"{base}/api/v1/reports/kpis", headers=headers, timeout=30))
            assert kpis.status_code == 200 and took < 3, took
        finally:
            redis_server.resume()
        assert requests.get(f"{base}/health", timeout=5).json()["status"] == "ok"


def test_work_made_while_the_broker_is_down_is_done_when_it_is_back(tmp_path):
    """The audit: with Redis killed, a critical alert's notifications and an export stayed queued for good."""
    with SMTPServer() as smtp, running(tmp_path, {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp.port),
                                                  "ALERT_EMAILS": "control-room@sangam.in",
                                                  "NOTIFY_BACKOFF_SECONDS": "0.2"}) as (redis_server, stack):
        base, headers = stack.base, stack.token()
        redis_server.stop()
        took, alert = timed(lambda: requests.post(f"{base}/api/v1/alerts", headers=headers, timeout=30, json={
            "scope": "city", "severity": "critical", "title": "Stampede risk at gate 3", "message": "Close gate 3."}))
        assert alert.status_code == 201 and took < 3
        took, job = timed(lambda: requests.post(f"{base}/api/v1/reports/exports", headers=headers, timeout=30,
                                                json={"dataset": "audit", "format": "csv"}))
        assert job.status_code == 202 and job.json()["status"] == "queued" and took < 3
        time.sleep(2)  # nothing can happen while the broker is away: the rows are the outbox
        job_url = f"{base}/api/v1/reports/exports/{job.json()['id']}"
        assert requests.get(job_url, headers=headers, timeout=5).json()["status"] == "queued"
        redis_server.start()
        stack.worker()
        stack.sweep()
        done = wait_for(lambda: (j := requests.get(job_url, headers=headers, timeout=5).json())["status"] == "done"
                        and j, 60, "the export")
        assert done["rows"] >= 2
        wait_for(lambda: any("Stampede risk" in m["Subject"] for m in smtp.messages), 60, "the alert e-mail")
        assert [m["To"] for m in smtp.messages if "Stampede risk" in m["Subject"]] == ["control-room@sangam.in"]


def _fill_audit(db_url: str, rows: int) -> None:
    with psycopg.connect(db_url) as conn:
        conn.execute(
            "INSERT INTO audit_entries (at, actor_kind, actor_label, action, entity, entity_id, event, changes) "
            "SELECT now(), 'system', 'system', 'update', 'thing', n::text, 'test.bulk', "
            "json_build_object('note', json_build_array(repeat('x', 60), 'y')) FROM generate_series(1, %s) AS n",
            (rows,))


def test_an_export_whose_worker_died_is_run_again(tmp_path):
    """The audit: a worker killed whole mid-export left the job `running` forever."""
    with running(tmp_path, {"JOB_RUNNING_DEADLINE_SECONDS": "2"}) as (_redis_server, stack):
        base, headers = stack.base, stack.token()
        _fill_audit(stack.db, 8_000)
        worker = stack.worker()
        job = requests.post(f"{base}/api/v1/reports/exports", headers=headers, timeout=10,
                            json={"dataset": "audit", "format": "pdf"}).json()
        job_url = f"{base}/api/v1/reports/exports/{job['id']}"
        wait_for(lambda: requests.get(job_url, headers=headers, timeout=5).json()["status"] == "running", 60,
                 "the export to start")
        os.killpg(worker.pid, signal.SIGKILL)  # the whole worker, mid-render
        worker.wait(timeout=10)
        time.sleep(3)  # past the running deadline
        assert requests.get(job_url, headers=headers, timeout=5).json()["status"] == "running"
        stack.worker()
        stack.sweep()
        done = wait_for(lambda: (j := requests.get(job_url, headers=headers, timeout=5).json())["status"] == "done"
                        and j, 240, "the export to be finished by the new worker")
        assert done["rows"] >= 8_000
        with psycopg.connect(stack.db) as conn:
            assert conn.execute("SELECT attempts FROM export_jobs WHERE id = %s", (job["id"],)).fetchone()[0] == 2
