"""Serve Sangam under gunicorn against PostgreSQL + Redis for benchmarks, and drive load at it."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import requests as http  # run_load has a parameter named requests

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# The benchmark database is dropped and recreated by every run: it must be named sangam_bench…
# (BENCH_DB=sangam_bench_perf for a database of your own; BENCH_REDIS_URL for a Redis DB of your own).
BENCH_DB = os.environ.get("BENCH_DB", "sangam_bench")
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", f"postgresql://postgres@127.0.0.1:5432/{BENCH_DB}")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
if not BENCH_DB.startswith("sangam_bench") or not DATABASE_URL.endswith(f"/{BENCH_DB}"):
    raise SystemExit(f"bench: refusing database {DATABASE_URL!r}: BENCH_DB must start with sangam_bench and name it")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def reset_database() -> None:
    """Drop and recreate the benchmark database (never the test or dev databases)."""
    import psycopg

    assert BENCH_DB.startswith("sangam_bench"), BENCH_DB
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")


def bench_env(port: int, extra: dict | None = None) -> dict:
    return {**os.environ, "DATABASE_URL": DATABASE_URL, "REDIS_URL": REDIS_URL, "FLASK_APP": "wsgi",
            "SECRET_KEY": "benchmark-secret-key-0001-long-enough-for-hs256",
            "JWT_SECRET_KEY": "benchmark-secret-key-0002-long-enough-for-hs256",
            "RATELIMIT_ENABLED": "0", "LOG_LEVEL": "WARNING", "PORT": str(port),
            "PASSWORD_HASH_TIME_COST": "1", "PASSWORD_HASH_MEMORY_KIB": "8192", **(extra or {})}


def _wait_ready(url: str, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            if http.get(url, timeout=1).status_code < 500:
                return
        except http.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} not ready after {timeout}s")


class Served:
    """A running gunicorn: its base URL and master process (for CPU accounting of the whole tree)."""

    def __init__(self, base: str, proc: subprocess.Popen, log_path: str):
        self.base, self.proc, self.log_path = base, proc, log_path

    @property
    def pid(self) -> int:
        return self.proc.pid


@contextmanager
def serve(app_spec: str, *, port: int, env: dict, ready_path: str = "/health"):
    """Run ``gunicorn -c gunicorn.conf.py <app_spec>`` until the block ends; yield a ``Served``.

    gunicorn's error log goes to a temporary file whose tail is printed when the server fails to start.
    """
    with tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log") as log:
        proc = subprocess.Popen([str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", app_spec], cwd=ROOT, env=env,
                                stdout=log, stderr=subprocess.STDOUT)
        try:
            try:
                _wait_ready(f"http://127.0.0.1:{port}{ready_path}", proc)
            except RuntimeError:
                print(Path(log.name).read_text()[-3000:], file=sys.stderr)
                raise
            yield Served(f"http://127.0.0.1:{port}", proc, log.name)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


@contextmanager
def gunicorn(app_spec: str, *, port: int, env: dict, ready_path: str = "/health"):
    """Run ``gunicorn -c gunicorn.conf.py <app_spec>`` until the block ends; yield its base URL."""
    with serve(app_spec, port=port, env=env, ready_path=ready_path) as served:
        yield served.base


def migrate_fresh(env: dict, *then: list[str]) -> None:
    """A fresh benchmark database with the schema from the Alembic migrations, then ``flask`` commands."""
    reset_database()
    flask_commands(env, ["db", "upgrade"], *then)


_RUN_COMMANDS = """
import json, sys
from app import create_app
app = create_app()
runner = app.test_cli_runner()
for args in json.loads(sys.argv[1]):
    with app.app_context():
        result = runner.invoke(args=args)
    if result.exit_code:
        print(f"flask {' '.join(args)} failed ({result.exit_code}):", result.output, result.exception, file=sys.stderr)
        sys.exit(1)
"""


def flask_commands(env: dict, *commands: list[str], timeout: float = 300) -> None:
    """Run several ``flask`` CLI commands in one process (the app is imported once, not once per command)."""
    import json

    done = subprocess.run([sys.executable, "-c", _RUN_COMMANDS, json.dumps(list(commands))], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode:
        raise RuntimeError(f"flask commands failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")


def flask(env: dict, *args: str, timeout: float = 120) -> None:
    """Run one ``flask`` CLI command against the benchmark database; its output is shown when it fails."""
    done = subprocess.run([str(BIN / "flask"), *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)
    if done.returncode:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")


@contextmanager
def served_app(*, port: int | None = None, env: dict | None = None):
    """A fresh benchmark database, migrated, with Sangam served by gunicorn; yields the base URL."""
    port = port or free_port()
    environment = bench_env(port, env)
    migrate_fresh(environment)
    with gunicorn("wsgi:app", port=port, env=environment) as base:
        yield base


def run_load(fn, *, clients: int, requests: int | None = None, requests_per_client: int | None = None) -> dict:
    """Call ``fn(session, client_index, i)`` ``requests`` times from each of ``clients`` threads.

    ``fn`` returns True for a success. Each thread has its own requests.Session (keep-alive).
    Returns count, errors, seconds, rps, p50_ms and p99_ms. (``requests_per_client`` is an alias.)
    """
    per_client = requests if requests is not None else requests_per_client
    if per_client is None:
        raise TypeError("run_load() needs requests=")
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker(index: int) -> None:
        session = http.Session()
        mine, failed = [], 0
        for i in range(per_client):
            start = time.perf_counter()
            try:
                ok = fn(session, index, i)
            except http.RequestException:
                ok = False
            mine.append(time.perf_counter() - start)
            failed += 0 if ok else 1
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return summarise(latencies, elapsed, errors[0])


def summarise(latencies: list[float], elapsed: float, errors: int = 0) -> dict:
    ordered = sorted(latencies)
    return {
        "count": len(ordered),
        "errors": errors,
        "seconds": round(elapsed, 2),
        "rps": round(len(ordered) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(statistics.median(ordered) * 1000, 2) if ordered else None,
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 2) if ordered else None,
    }


def report(name: str, figures: dict) -> None:
    """Print one benchmark's figures, one per line."""
    print(f"\n== {name}")
    for key, value in figures.items():
        print(f"   {key:32} {value}")
