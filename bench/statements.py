"""SQL statements and round trips per request (issue 14 "Report the SQL statements per request").

In-process (Flask test client) against the benchmark PostgreSQL (bench.inproc), after a few warm-up
requests, one request of each hot path is recorded: SQLAlchemy statements on Sangam's engine
(``before_cursor_execute``), database round trips as libpq sees them (BEGIN, COMMIT, ROLLBACK,
SAVEPOINTs and the pool's pre-ping included) and Redis commands. For the booking every statement is
listed (first 100 characters), in the order it went over the wire.

    python -m bench statements
"""

from __future__ import annotations

import json
import os

from bench.inproc import Recorder, fixture

WARM = 3


def _requests(fx):
    """(name, before, request, after) for each hot path: ``before``/``after`` run outside the recording
    (a reservation is released after it is measured; a release needs a reservation first)."""
    state = {}

    def book():
        return fx.client.post("/api/v1/bookings", headers=fx.user, json={"slot_id": fx.slot_id, "party_size": 1})

    def book_idempotent():
        state["key"] = state.get("key", 0) + 1
        return fx.client.post("/api/v1/bookings", json={"slot_id": fx.slot_id, "party_size": 1},
                              headers={**fx.user, "Idempotency-Key": f"bench-statements-{os.getpid()}-{state['key']}"})

    def reserve():
        r = fx.client.post("/api/v1/parking/reservations", headers=fx.user,
                           json={"lot_id": fx.lot_ids[0], "vehicle_number": "GJ11AB0001"})
        state["reservation"] = r.get_json().get("id")
        return r

    def release():
        return fx.client.post(f"/api/v1/parking/reservations/{state.pop('reservation')}/release", headers=fx.user)

    def read():
        return fx.client.get(f"/api/v1/temples/{fx.temple}/slots")

    def nothing():
        return None

    return [("POST /api/v1/bookings", nothing, book, nothing),
            ("POST /api/v1/bookings + Idempotency-Key", nothing, book_idempotent, nothing),
            ("POST /api/v1/parking/reservations", nothing, reserve, release),
            ("POST /api/v1/parking/reservations/{id}/release", reserve, release, nothing),
            (f"GET /api/v1/temples/{fx.temple}/slots", nothing, read, nothing)]


def measure() -> dict:
    fx = fixture()
    recorder = Recorder(fx.engine)
    figures = {}
    for name, before, call, after in _requests(fx):
        for _ in range(WARM):  # warm the pool, caches and compiled statements
            before(), call(), after()
        before()
        with recorder:
            status = call().status_code
        after()
        figures[name] = {"status": status, "sqlalchemy_statements": len(recorder.statements),
                         "db_round_trips": recorder.round_trips, "redis_commands": len(recorder.redis),
                         "statements": recorder.statements, "wire": recorder.sent, "redis": recorder.redis}
    return figures


def main() -> dict:
    figures = measure()
    print("\n== SQL statements and round trips per request (in-process, PostgreSQL + Redis, warm)")
    print(f"   {'request':52}{'status':>7}{'SQL stmts':>10}{'DB trips':>10}{'Redis':>7}")
    for name, f in figures.items():
        print(f"   {name:52}{f['status']:>7}{f['sqlalchemy_statements']:>10}{f['db_round_trips']:>10}"
              f"{f['redis_commands']:>7}")
    booking = figures["POST /api/v1/bookings"]
    print("\n   POST /api/v1/bookings, every round trip in order (first 100 characters):")
    for n, text in enumerate(booking["wire"], 1):
        print(f"   {n:>3}. {text[:100]}")
    print(f"   Redis: {', '.join(booking['redis']) or 'none'}")
    for name in ("POST /api/v1/parking/reservations", f"GET /api/v1/temples/{fixture().temple}/slots"):
        print(f"\n   {name}, round trips in order (first 100 characters):")
        for n, text in enumerate(figures[name]["wire"], 1):
            print(f"   {n:>3}. {text[:100]}")
        print(f"   Redis: {', '.join(figures[name]['redis']) or 'none'}")
    if os.environ.get("BENCH_JSON_STATEMENTS"):
        with open(os.environ["BENCH_JSON_STATEMENTS"], "w") as out:
            json.dump(figures, out, indent=1)
    return figures


if __name__ == "__main__":
    main()
