"""Quota release (issue 14): 2 000 seats opened to 10 000 clients through the fair virtual queue.

gunicorn + a Celery worker on the ``releases`` queue + PostgreSQL + Redis. The clients (asyncio + httpx, one
coroutine each) arrive within ``ARRIVAL_SECONDS`` of the opening, each asks for one seat, then polls its ticket
as the server suggests (``poll_after_seconds``) until it has an answer; a few also watch their ticket on Socket.IO
(``/queue``). The whole run is bounded (``DEADLINE_SECONDS``). Prints server errors, overbooking, seats sold,
time to sell out, p50/p99 time for a client to learn its result, the admission rate, and FIFO fairness as the
Spearman rank correlation between arrival order and admission order. Uses its own database and Redis DB.
"""

from __future__ import annotations

import asyncio
import os
import random
import subprocess
import threading
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import httpx
import jwt
import psycopg
import requests
import socketio

from bench.server import BIN, ROOT, bench_env, free_port, gunicorn, report

CLIENTS = int(os.environ.get("RELEASE_BENCH_CLIENTS", "10000"))
SEATS, SLOTS = 2000, 4
ARRIVAL_SECONDS = float(os.environ.get("RELEASE_BENCH_ARRIVAL_SECONDS", "20"))
DEADLINE_SECONDS = 240.0
CONNECTIONS = 256
SOCKET_WATCHERS = 8
DB_NAME = "sangam_bench_release"
ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DATABASE_URL = os.environ.get("RELEASE_BENCH_DATABASE_URL", f"postgresql://postgres@127.0.0.1:5432/{DB_NAME}")
REDIS_URL = os.environ.get("RELEASE_BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")
SERVER_ENV = {"DATABASE_URL": DATABASE_URL, "REDIS_URL": REDIS_URL, "WEB_WORKERS": "2", "WEB_THREADS": "24",
              "RELEASE_ADMITTER": "celery", "LOG_REQUESTS": "0"}
PASSWORD = "Release-bench-2026"


def _reset() -> None:
    import redis

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    redis.Redis.from_url(REDIS_URL).flushdb()


@contextmanager
def _stack(port: int):
    """Migrate, then serve the app (gunicorn) and run one admission worker (celery -Q releases)."""
    env = bench_env(port, SERVER_ENV)
    _reset()
    run = {"cwd": ROOT, "env": env, "check": True, "capture_output": True, "timeout": 180}
    subprocess.run([str(BIN / "flask"), "db", "upgrade"], **run)
    subprocess.run([str(BIN / "flask"), "create-admin", "--email", "release-admin@sangam.in", "--password", PASSWORD],
                   **run)
    worker = subprocess.Popen([str(BIN / "celery"), "-A", "celery_worker.celery", "worker", "-Q", "releases",
                               "--pool=solo", "--loglevel=WARNING"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with gunicorn("wsgi:app", port=port, env=env) as base:
            yield base, env
    finally:
        worker.terminate()
        worker.wait(20)


def _setup(base: str) -> tuple[int, list[int]]:
    """A temple, four slots of 500 tomorrow, and a release of them opening in a few seconds (one seat a person)."""
    token = requests.post(f"{base}/api/v1/auth/login", json={"email": "release-admin@sangam.in",
                                                            "password": PASSWORD}, timeout=10).json()["access_token"]
    admin = {"Authorization": f"Bearer {token}"}
    requests.post(f"{base}/api/v1/temples", json={"slug": "somnath", "name": "Somnath", "location": "Veraval",
                                                  "lat": 20.888, "lng": 70.4013, "code_prefix": "SOM"},
                  headers=admin, timeout=10).raise_for_status()
    day = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    slots = requests.post(f"{base}/api/v1/temples/somnath/slots", json={
        "date_from": day, "date_to": day, "start_time": "06:00", "end_time": "10:00", "slot_minutes": 60,
        "capacity": SEATS // SLOTS}, headers=admin, timeout=10)
    slot_ids = [s["id"] for s in slots.json()][:SLOTS]
    r = requests.post(f"{base}/api/v1/temples/somnath/releases", json={
        "name": "Mahashivratri quota", "opens_at": (datetime.now(UTC) + timedelta(seconds=5)).isoformat(),
        "slot_ids": slot_ids, "per_person_limit": 1}, headers=admin, timeout=10)
    r.raise_for_status()
    return r.json()["id"], slot_ids


def _pilgrims(env: dict) -> list[str]:
    """10 000 accounts and their sessions written straight to the database, each with a signed access token."""
    with psycopg.connect(DATABASE_URL) as conn, conn.cursor() as cur:
        columns = "email, password_hash, full_name, phone, role, is_active, reminders"
        with cur.copy(f"COPY users ({columns}) FROM STDIN") as cp:
            for i in range(CLIENTS):
                cp.write_row((f"pilgrim{i}@bench.sangam.in", "x", f"Pilgrim {i}", f"+9170{i:08d}", "user", True, True))
        sessions = cur.execute(
            "INSERT INTO auth_sessions (user_id, current_jti, created_at, last_used_at, expires_at) "
            "SELECT id, md5(random()::text), now(), now(), now() + interval '1 day' FROM users WHERE role = 'user' "
            "ORDER BY id RETURNING user_id, id").fetchall()
    now = datetime.now(UTC)
    return [jwt.encode({"fresh": False, "iat": now, "nbf": now, "exp": now + timedelta(hours=1), "type": "access",
                        "jti": str(uuid.uuid4()), "sub": str(uid), "role": "user", "sid": sid},
                       env["JWT_SECRET_KEY"], algorithm="HS256") for uid, sid in sorted(sessions)]


async def _client(http: httpx.AsyncClient, gate: asyncio.Semaphore, token: str, slot_id: int, start: float,
                  arrival: float, out: list):
    await asyncio.sleep(max(0.0, start + arrival - time.monotonic()))
    sent, record = time.monotonic(), {"arrival": arrival, "errors": 0}
    try:
        async with gate:
            r = await http.post("/api/v1/bookings", json={"slot_id": slot_id, "party_size": 1},
                                headers={"Authorization": f"Bearer {token}"})
        body = r.json()
        record["first_status"] = r.status_code
        if r.status_code >= 500:
            record["errors"] += 1
        while r.status_code == 202 or (r.status_code == 200 and body["status"] == "waiting"):
            record.setdefault("number", body.get("number"))
            record.setdefault("ticket", body.get("ticket"))
            await asyncio.sleep(min(15.0, body.get("poll_after_seconds") or 1.0))
            async with gate:
                r = await http.get(f"/api/v1/bookings/queue/{record['ticket']}")
            body = r.json()
            if r.status_code >= 500:
                record["errors"] += 1
                break
        record["outcome"] = body.get("status") if r.status_code == 200 else body.get("error", str(r.status_code))
        record["error"] = body.get("error")
        record["learned"] = time.monotonic() - sent
    except (httpx.HTTPError, ValueError) as exc:
        record["errors"] += 1
        record["outcome"] = type(exc).__name__
    out.append(record)


async def _rush(base: str, tokens: list[str], slot_ids: list[int], start: float) -> list[dict]:
    arrivals = sorted(random.uniform(0, ARRIVAL_SECONDS) for _ in tokens)
    out: list[dict] = []
    limits = httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS)
    # at most CONNECTIONS requests in flight: httpx's pool slows down quadratically with thousands of waiters
    gate = asyncio.Semaphore(CONNECTIONS)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=httpx.Timeout(60.0, pool=None)) as http:
        jobs = [asyncio.create_task(_client(http, gate, t, slot_ids[i % len(slot_ids)], start, arrivals[i], out))
                for i, t in enumerate(tokens)]
        _done, late = await asyncio.wait(jobs, timeout=DEADLINE_SECONDS)
        for job in late:  # bounded in time: whoever has no answer by the deadline counts as unanswered
            job.cancel()
    return out + [{"arrival": None, "errors": 0, "outcome": "unanswered"}] * len(late)


def _watch(base: str, token: str, slot_id: int, results: list) -> None:
    """One client that learns its result on Socket.IO (/queue) instead of polling."""
    r = requests.post(f"{base}/api/v1/bookings", json={"slot_id": slot_id, "party_size": 1},
                      headers={"Authorization": f"Bearer {token}"}, timeout=60)
    sent = time.monotonic()
    if r.status_code != 202:
        results.append({"outcome": r.json().get("error"), "push_s": None})
        return
    got, client = threading.Event(), socketio.Client(reconnection=False)
    seen = {}
    client.on("booking_result", lambda data: (seen.update(data), got.set()), namespace="/queue")
    client.connect(base, namespaces=["/queue"], auth={"ticket": r.json()["ticket"]}, transports=["websocket"],
                   wait_timeout=30)
    got.wait(60)
    results.append({"outcome": seen.get("status"), "push_s": time.monotonic() - sent if seen else None})
    client.disconnect()


def _spearman(xs: list[float], ys: list[float]) -> float | None:
    """Spearman's rank correlation (no ties: times and numbers are distinct)."""
    n = len(xs)
    if n < 2:
        return None
    rank = lambda v: {i: r for r, i in enumerate(sorted(range(n), key=v.__getitem__))}  # noqa: E731
    rx, ry = rank(xs), rank(ys)
    return round(1 - 6 * sum((rx[i] - ry[i]) ** 2 for i in range(n)) / (n * (n * n - 1)), 4)


def _database_figures(release_id: int, slot_ids: list[int]) -> dict:
    with psycopg.connect(DATABASE_URL) as conn:
        booked = conn.execute("SELECT coalesce(sum(booked), 0), coalesce(sum(capacity), 0) FROM darshan_slots "
                              "WHERE id = ANY(%s)", (slot_ids,)).fetchone()
        rows = conn.execute("SELECT coalesce(sum(party_size), 0) FROM bookings WHERE slot_id = ANY(%s) "
                            "AND status = 'confirmed'", (slot_ids,)).fetchone()[0]
        over = conn.execute("SELECT count(*) FROM darshan_slots WHERE booked > capacity").fetchone()[0]
        opened, ended = conn.execute("SELECT opened_at, ended_at FROM darshan_releases WHERE id = %s",
                                     (release_id,)).fetchone()
        order = conn.execute("SELECT number, resolved_at FROM release_admissions WHERE release_id = %s AND "
                             "outcome = 'admitted' ORDER BY resolved_at, number", (release_id,)).fetchall()
    return {"booked": booked[0], "capacity": booked[1], "rows": rows, "over": over, "opened": opened,
            "ended": ended, "order": order}


def _pct(values: list[float], q: float) -> float | None:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * q))], 2) if ordered else None


def _figures(out: list[dict], pushed: list[dict], db: dict, load: tuple) -> dict:
    learned = [r["learned"] for r in out if "learned" in r]
    admitted_rank = {number: i for i, (number, _at) in enumerate(db["order"])}
    fair = [(r["arrival"], r["number"], admitted_rank[r["number"]]) for r in out
            if r.get("outcome") == "admitted" and r.get("number") in admitted_rank]
    outcomes: dict[str, int] = {}
    for r in out:
        key = r.get("error") or r.get("outcome") or "?"
        outcomes[key] = outcomes.get(key, 0) + 1
    sell_out = (db["ended"] - db["opened"]).total_seconds() if db["ended"] and db["opened"] else None
    return {
        "clients / arrival window": f"{len(out)} / {ARRIVAL_SECONDS:.0f} s (+{len(pushed)} on Socket.IO)",
        "server errors (5xx, transport)": sum(r["errors"] for r in out),
        "overbooked slots": db["over"], "seats sold / offered": f"{db['booked']} / {db['capacity']}",
        "booking rows agree": db["rows"] == db["booked"], "outcomes": outcomes,
        "unanswered within deadline": len(out) - len(learned),
        "time to sell out s (open → sold_out)": round(sell_out, 2) if sell_out else None,
        "admission rate bookings/s": round(db["booked"] / sell_out, 1) if sell_out else None,
        "time to learn result p50 s": _pct(learned, 0.5),
        "time to learn result p99 s (target < 10)": _pct(learned, 0.99),
        "max s": _pct(learned, 1.0),
        "Socket.IO push p50/max s": (_pct([p["push_s"] for p in pushed if p["push_s"]], 0.5),
                                     _pct([p["push_s"] for p in pushed if p["push_s"]], 1.0)),
        "FIFO: Spearman(client arrival, admission)": _spearman([f[0] for f in fair], [f[2] for f in fair]),
        "FIFO: Spearman(queue number, admission)": _spearman([f[1] for f in fair], [f[2] for f in fair]),
        "box: cores / load avg before → after": f"{os.cpu_count()} / {load[0]:.2f} → {os.getloadavg()[0]:.2f}",
    }


def _wait_until_open(base: str, release_id: int) -> None:
    """Sleep until the release's opening time (clients arrive from then on)."""
    opens_at = requests.get(f"{base}/api/v1/releases/{release_id}", timeout=10).json()["opens_at"]
    time.sleep(max(0.0, (datetime.fromisoformat(opens_at) - datetime.now(UTC)).total_seconds()) + 0.05)


def main() -> dict:
    load = os.getloadavg()
    with _stack(free_port()) as (base, env):
        release_id, slot_ids = _setup(base)
        tokens = _pilgrims(env)
        watchers, pushed = tokens[:SOCKET_WATCHERS], []
        threads = [threading.Thread(target=_watch, args=(base, t, slot_ids[i % SLOTS], pushed), daemon=True)
                   for i, t in enumerate(watchers)]
        _wait_until_open(base, release_id)
        start = time.monotonic()
        for t in threads:
            t.start()
        out = asyncio.run(_rush(base, tokens[SOCKET_WATCHERS:], slot_ids, start))
        for t in threads:
            t.join(30)
        figures = _figures(out, pushed, _database_figures(release_id, slot_ids), load)
    report("quota release: 2 000 seats, 10 000 clients, fair queue (gunicorn + Celery + PostgreSQL + Redis)", figures)
    assert figures["overbooked slots"] == 0 and figures["booking rows agree"], "overbooking detected"
    return figures
