"""Booking rush (PW-3): many pilgrims book one popular darshan slot and a spread of others over HTTP.

gunicorn + PostgreSQL + Redis (bench.server). Prints successful bookings per second and p50/p99,
checks the popular slot ends exactly at capacity (zero overbooking), then times the same booking
transaction done directly with SQL from Python (psycopg, no HTTP, no Flask) and prints the ratio.
"""

from __future__ import annotations

import random
import subprocess
import threading
import time

import psycopg
import requests

from bench.server import BIN, DATABASE_URL, ROOT, bench_env, free_port, report, run_load, served_app, summarise

CLIENTS, REQUESTS = 32, 40
POPULAR_CAPACITY = 300
PASSWORD = "Darshan-rush-2026"
SERVER_ENV = {"WEB_WORKERS": "2", "WEB_THREADS": "16"}

BOOK_SQL = """
UPDATE darshan_slots SET booked = booked + %(n)s
 WHERE id = %(slot)s AND status = 'open' AND booked + %(n)s <= capacity AND starts_at > now()
"""
INSERT_SQL = """
INSERT INTO bookings (code, user_id, slot_id, party_size, status, created_at)
VALUES (%(code)s, %(user)s, %(slot)s, %(n)s, 'confirmed', now())
"""


def _setup(base: str, port: int) -> tuple[list[dict], int, list[int]]:
    env = bench_env(port, SERVER_ENV)
    for args in (["create-admin", "--email", "bench-admin@sangam.in", "--password", PASSWORD], ["seed-demo"]):
        subprocess.run([str(BIN / "flask"), *args], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    admin = _login(base, "bench-admin@sangam.in")
    slots = [s for s in requests.get(f"{base}/api/v1/temples/somnath/slots", timeout=10).json()
             if s["available"] > 0 and s["status"] == "open"]
    tomorrow = requests.get(f"{base}/api/v1/temples/dwarka/slots", timeout=10).json()
    popular = slots[0]["id"]
    requests.patch(f"{base}/api/v1/slots/{popular}", json={"capacity": POPULAR_CAPACITY}, headers=admin,
                   timeout=10).raise_for_status()
    users = []
    for i in range(CLIENTS):
        email = f"pilgrim{i}@bench.sangam.in"
        requests.post(f"{base}/api/v1/auth/register", json={"email": email, "password": PASSWORD,
                                                             "full_name": f"Pilgrim {i}"}, timeout=10)
        users.append(_login(base, email))
    spread = [s["id"] for s in slots[1:] + tomorrow]
    return users, popular, spread


def _login(base: str, email: str) -> dict:
    r = requests.post(f"{base}/api/v1/auth/login", json={"email": email, "password": PASSWORD}, timeout=10)
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _http_rush(base: str, users: list[dict], popular: int, spread: list[int]) -> dict:
    outcomes: dict[str, int] = {}
    lock = threading.Lock()

    def book(session, client, i) -> bool:
        slot = popular if i % 2 == 0 else random.choice(spread)
        r = session.post(f"{base}/api/v1/bookings", json={"slot_id": slot, "party_size": 1}, headers=users[client],
                         timeout=30)
        code = "created" if r.status_code == 201 else r.json().get("error", str(r.status_code))
        with lock:
            outcomes[code] = outcomes.get(code, 0) + 1
        return r.status_code in (201, 409)

    figures = run_load(book, clients=CLIENTS, requests_per_client=REQUESTS)
    figures["outcomes"] = outcomes
    figures["created_per_s"] = round(outcomes.get("created", 0) / figures["seconds"], 1)
    return figures


def _check(popular: int) -> dict:
    with psycopg.connect(DATABASE_URL) as conn:
        row = conn.execute("SELECT booked, capacity FROM darshan_slots WHERE id = %s", (popular,)).fetchone()
        booked, capacity = row
        people = conn.execute("SELECT coalesce(sum(party_size), 0) FROM bookings WHERE slot_id = %s "
                              "AND status = 'confirmed'", (popular,)).fetchone()[0]
        over = conn.execute("SELECT count(*) FROM darshan_slots WHERE booked > capacity").fetchone()[0]
    return {"popular booked/capacity": f"{booked}/{capacity}", "rows agree": people == booked,
            "overbooked slots": over}


def _direct_rush(user_id: int, slots: list[int], total: int) -> dict:
    """The same transaction (conditional UPDATE + INSERT) straight through psycopg, same concurrency."""
    latencies: list[float] = []
    lock = threading.Lock()
    per_client = total // CLIENTS

    def worker(index: int) -> None:
        mine = []
        with psycopg.connect(DATABASE_URL) as conn:
            for i in range(per_client):
                start = time.perf_counter()
                with conn.transaction():
                    slot = random.choice(slots)
                    if conn.execute(BOOK_SQL, {"n": 1, "slot": slot}).rowcount == 1:
                        conn.execute(INSERT_SQL, {"code": f"DIR-{index}-{i}", "user": user_id, "slot": slot, "n": 1})
                mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(CLIENTS)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return summarise(latencies, time.perf_counter() - started)


def main() -> dict:
    port = free_port()
    with served_app(port=port, env=SERVER_ENV) as base:
        users, popular, spread = _setup(base, port)
        http = _http_rush(base, users, popular, spread)
        check = _check(popular)
    with psycopg.connect(DATABASE_URL) as conn:
        user_id = conn.execute("SELECT min(id) FROM users").fetchone()[0]
        conn.execute("UPDATE darshan_slots SET capacity = 100000 WHERE id = ANY(%s)", (spread,))
    direct = _direct_rush(user_id, spread, CLIENTS * REQUESTS)
    figures = {
        "clients x requests": f"{CLIENTS} x {REQUESTS} (half at one slot of {POPULAR_CAPACITY})",
        "http requests/s": http["rps"], "http successful bookings/s": http["created_per_s"],
        "http p50 ms": http["p50_ms"], "http p99 ms": http["p99_ms"], "outcomes": http["outcomes"],
        **check,
        "direct SQL transactions/s": direct["rps"],
        "direct p50 ms": direct["p50_ms"], "direct p99 ms": direct["p99_ms"],
        "ratio http/direct (throughput)": round(http["rps"] / direct["rps"], 3) if direct["rps"] else None,
    }
    report("booking rush (gunicorn + PostgreSQL + Redis)", figures)
    assert check["overbooked slots"] == 0 and check["rows agree"], "overbooking detected"
    assert check["popular booked/capacity"].split("/")[0] == str(POPULAR_CAPACITY), "popular slot not filled exactly"
    return figures
