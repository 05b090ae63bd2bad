"""Parking rush (VP-6): 32 drivers reserve and release across a few small lots over HTTP.

gunicorn + PostgreSQL + Redis (bench.server). The lots hold fewer spots than there are drivers,
so claims contend for the same rows; ``lot_full`` answers are correct outcomes, not errors.
Afterwards the database is checked: no spot was ever held by two reservations at once.
"""

from __future__ import annotations

import os
import subprocess
import threading

import psycopg
import requests

from bench.server import BIN, DATABASE_URL, ROOT, bench_env, free_port, report, run_load, served_app

CLIENTS, REQUESTS = 32, 60
LOTS, SPOTS = 4, 6  # 24 spots for 32 drivers
PASSWORD = "Rush-h0ur-parking-2025"
TARGET_P99_MS = 100
# One process per core: the request path is CPU-bound Python (GIL); plain HTTP needs no sticky sessions.
SERVER_ENV = {"WEB_WORKERS": str(max(2, os.cpu_count() or 2)), "WEB_THREADS": "16"}

OVERLAPS = """
SELECT count(*) FROM parking_reservations a JOIN parking_reservations b
  ON a.lot_id = b.lot_id AND a.spot_number = b.spot_number AND a.id < b.id
 AND a.parked_at < coalesce(b.left_at, 'infinity') AND b.parked_at < coalesce(a.left_at, 'infinity')
"""
CONSISTENT = """
SELECT (SELECT count(*) FROM parking_spots WHERE status = 'occupied'),
       (SELECT count(*) FROM parking_reservations WHERE status = 'active'),
       (SELECT count(*) FROM parking_reservations)
"""


def _login(base: str, email: str) -> dict:
    r = requests.post(f"{base}/api/v1/auth/login", json={"email": email, "password": PASSWORD}, timeout=10)
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _setup(base: str) -> tuple[list[int], list[dict]]:
    """An admin, the lots, and one logged-in driver per client."""
    env = bench_env(free_port())
    subprocess.run([str(BIN / "flask"), "create-admin", "--email", "rush-admin@bench.in", "--password", PASSWORD],
                   cwd=ROOT, env=env, check=True, capture_output=True, timeout=60)
    admin = _login(base, "rush-admin@bench.in")
    lot_ids = []
    for n in range(LOTS):
        r = requests.post(f"{base}/api/v1/parking/lots", headers=admin, timeout=10, json={
            "name": f"Rush lot {n + 1}", "address": "Somnath Temple Road, Veraval", "pin_code": "362268",
            "price_per_hour": "30.00", "total_spots": SPOTS})
        r.raise_for_status()
        lot_ids.append(r.json()["id"])
    drivers = []
    for n in range(CLIENTS):
        email = f"driver{n}@bench.in"
        requests.post(f"{base}/api/v1/auth/register", timeout=10,
                      json={"email": email, "password": PASSWORD, "full_name": f"Driver {n}"}).raise_for_status()
        drivers.append(_login(base, email))
    return lot_ids, drivers


class Rush:
    """Each driver alternates: reserve (trying lots in turn), then release."""

    def __init__(self, base: str, lot_ids: list[int], drivers: list[dict]):
        self.base, self.lot_ids, self.drivers = base, lot_ids, drivers
        self.active: dict[int, int] = {}
        self.counts = {"reserved": 0, "lot_full": 0, "released": 0, "unexpected": 0}
        self.lock = threading.Lock()

    def _count(self, outcome: str) -> bool:
        with self.lock:
            self.counts[outcome] += 1
        return outcome != "unexpected"

    def __call__(self, session: requests.Session, client: int, i: int) -> bool:
        headers = self.drivers[client]
        if client in self.active:
            r = session.post(f"{self.base}/api/v1/parking/reservations/{self.active.pop(client)}/release",
                             headers=headers, timeout=10)
            return self._count("released" if r.status_code == 200 else "unexpected")
        lot_id = self.lot_ids[(client + i) % len(self.lot_ids)]
        r = session.post(f"{self.base}/api/v1/parking/reservations", headers=headers, timeout=10,
                         json={"lot_id": lot_id, "vehicle_number": f"GJ11AB{client:04d}"})
        if r.status_code == 201:
            self.active[client] = r.json()["id"]
            return self._count("reserved")
        return self._count("lot_full" if r.status_code == 409 and r.json()["error"] == "lot_full" else "unexpected")


def _verify() -> dict:
    with psycopg.connect(DATABASE_URL) as conn:
        overlaps = conn.execute(OVERLAPS).fetchone()[0]
        occupied, active, total = conn.execute(CONSISTENT).fetchone()
    return {"double allocations": overlaps, "occupied spots / active reservations": f"{occupied} / {active}",
            "reservations in database": total}


def main() -> dict:
    with served_app(env=SERVER_ENV) as base:
        lot_ids, drivers = _setup(base)
        rush = Rush(base, lot_ids, drivers)
        load = run_load(rush, clients=CLIENTS, requests_per_client=REQUESTS)
        checks = _verify()
    figures = {"clients x requests": f"{CLIENTS} x {REQUESTS}", "lots x spots": f"{LOTS} x {SPOTS}",
               "gunicorn workers x threads": f"{SERVER_ENV['WEB_WORKERS']} x {SERVER_ENV['WEB_THREADS']}",
               "cpu cores": os.cpu_count(),
               **rush.counts, "requests per second": load["rps"],
               "reservations per second": round(rush.counts["reserved"] / load["seconds"], 1),
               "p50 ms": load["p50_ms"], "p99 ms": load["p99_ms"],
               f"p99 < {TARGET_P99_MS} ms": load["p99_ms"] < TARGET_P99_MS, **checks}
    report("parking rush: reserve/release over HTTP (gunicorn gthread, PostgreSQL + Redis)", figures)
    assert checks["double allocations"] == 0, "a spot was held by two reservations at once"
    assert rush.counts["unexpected"] == 0 and load["errors"] == 0
    return figures


if __name__ == "__main__":
    main()
