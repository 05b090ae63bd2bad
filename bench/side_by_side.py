"""Sangam against its ceiling, side by side in one run (issue 14): booking, parking, cached read.

One fresh PostgreSQL database (migrated, demo data) and one Redis DB serve two gunicorns with the
same settings (gunicorn.conf.py, ``WEB_WORKERS`` x ``WEB_THREADS``, rate limits off): Sangam
(``wsgi:app``) and the ceiling (``bench.ceiling:app``, raw SQL). The same load generator
(bench.loadgen: wrk, else Python asyncio) drives each for ``BENCH_SECONDS`` at ``BENCH_CLIENTS``
concurrent clients, Sangam first, then the ceiling, after a short warm-up of both. Each side has its
own users, slots and lots in the shared database, so neither sees the other's rows.

Printed per pair: requests/s, p50/p99, errors, outcomes, server and PostgreSQL CPU ms per request,
how busy the machine was, ratio = Sangam / ceiling, each target with PASS/MISS, and the
correctness checks of the same run (zero overbooking, zero double allocation).

    python -m bench side_by_side            # all three pairs
    python -m bench booking_ceiling         # one pair (also parking_ceiling, read_ceiling)
    BENCH_SECONDS=30 BENCH_JSON=/tmp/before.json python -m bench booking_ceiling
"""

from __future__ import annotations

import json
import os
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field

import psycopg
import requests

from bench import probe
from bench.loadgen import Scenario, drive, generator
from bench.server import BENCH_DB, DATABASE_URL, REDIS_URL, bench_env, free_port, migrate_fresh, serve

PAIRS = ("booking", "parking", "read")
SECONDS = min(60.0, float(os.environ.get("BENCH_SECONDS", "15")))  # ≤ 60 s per scenario on a shared box
WARMUP = float(os.environ.get("BENCH_WARMUP", "3"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "32"))
SERVER_ENV = {"WEB_WORKERS": os.environ.get("BENCH_WEB_WORKERS", "2"),
              "WEB_THREADS": os.environ.get("BENCH_WEB_THREADS", "16"), "JWT_ACCESS_MINUTES": "120"}
POPULAR_CAPACITY, SPREAD_SLOTS = 300, 20
LOTS, SPOTS = 4, 6  # 24 spots for 32 drivers per side: claims contend and some answers are lot_full
PASSWORD = "Darshan-rush-2026"
READ_PATH = "/api/v1/temples/somnath/slots"
TARGETS = {"booking": (0.5, 100.0), "parking": (0.5, 100.0), "read": (0.8, None)}  # (ratio ≥, p99 ms <)
SIDES = ("sangam", "ceiling")


@dataclass
class Side:
    """One app under test and the rows that belong to it."""

    name: str
    served: object = None
    tokens: list[str] = field(default_factory=list)
    popular: int | None = None
    spread: list[int] = field(default_factory=list)
    warm_slots: list[int] = field(default_factory=list)
    lots: list[int] = field(default_factory=list)
    created: int = 0  # 201s for bookings, warm-up included
    reserved: int = 0
    runs: int = 0  # load runs so far: each may leave up to CLIENTS requests in flight, done but not counted

    def rows_agree(self, answers: int, rows: int) -> str:
        """201 answers seen vs rows made: rows may exceed answers by what was cut off in flight."""
        ok = answers <= rows <= answers + self.runs * CLIENTS
        return f"{answers} answers, {rows} rows ({'ok' if ok else 'MISMATCH'}: at most {self.runs * CLIENTS} in flight)"


def _post(url: str, body: dict, headers: dict | None = None) -> dict:
    r = requests.post(url, json=body, headers=headers or {}, timeout=30)
    r.raise_for_status()
    return r.json()


def _login(base: str, email: str) -> str:
    return _post(f"{base}/api/v1/auth/login", {"email": email, "password": PASSWORD})["access_token"]


def _slots(conn, temple_id: int, first_hour: int, count: int, capacity: int) -> list[int]:
    """Open slots far in the future (no clash with the demo schedule), one hour apart."""
    rows = conn.execute(
        "INSERT INTO darshan_slots (temple_id, starts_at, ends_at, capacity, booked, status) "
        "SELECT %s, t, t + interval '30 minutes', %s, 0, 'open' FROM ("
        "  SELECT date_trunc('day', now()) + interval '60 days' + h * interval '1 hour' AS t"
        "  FROM generate_series(%s::int, %s::int) AS h) s RETURNING id",
        (temple_id, capacity, first_hour, first_hour + count - 1)).fetchall()
    return [r[0] for r in rows]


def _users(conn, base: str, sides: dict[str, Side]) -> None:
    """One pilgrim registered through the API; the others are copies of its row (same password hash,
    so no second hashing cost); every one logs in through the API for a real token."""
    _post(f"{base}/api/v1/auth/register", {"email": "template@bench.sangam.in", "password": PASSWORD,
                                           "full_name": "Template pilgrim"})
    emails = [f"{side}{i}@bench.sangam.in" for side in sides for i in range(CLIENTS)]
    conn.execute("INSERT INTO users (email, password_hash, full_name, role, is_active, reminders, created_at, "
                 "updated_at) SELECT e, u.password_hash, 'Bench pilgrim', u.role, true, false, now(), now() "
                 "FROM users u, unnest(%s::text[]) AS e WHERE u.email = 'template@bench.sangam.in'", (emails,))
    with ThreadPoolExecutor(8) as pool:
        tokens = list(pool.map(lambda e: _login(base, e), emails))
    for n, side in enumerate(sides.values()):
        side.tokens = tokens[n * CLIENTS:(n + 1) * CLIENTS]


def _prepare(sides: dict[str, Side], sangam_base: str) -> None:
    """Users with tokens, slots and lots for each side (Sangam's own API where it has one)."""
    admin = {"Authorization": f"Bearer {_login(sangam_base, 'bench-admin@sangam.in')}"}
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        _users(conn, sangam_base, sides)
        temple = conn.execute("SELECT id FROM temples WHERE slug = 'somnath'").fetchone()[0]
        for n, side in enumerate(sides.values()):
            hour = n * 100
            side.popular = _slots(conn, temple, hour, 1, POPULAR_CAPACITY)[0]
            side.spread = _slots(conn, temple, hour + 1, SPREAD_SLOTS, 100_000)
            side.warm_slots = _slots(conn, temple, hour + 50, 4, 100_000)
    for side in sides.values():
        for k in range(LOTS):
            lot = _post(f"{sangam_base}/api/v1/parking/lots", {
                "name": f"{side.name.title()} rush lot {k + 1}", "address": "Somnath Temple Road, Veraval",
                "pin_code": "362268", "price_per_hour": "30.00", "total_spots": SPOTS}, admin)
            side.lots.append(lot["id"])


def _scenario(pair: str, side: Side, *, warm: bool = False) -> Scenario:
    if pair == "booking":
        if warm:
            return Scenario("booking", tokens=side.tokens, popular=side.warm_slots[0], spread=side.warm_slots)
        return Scenario("booking", tokens=side.tokens, popular=side.popular, spread=side.spread)
    if pair == "parking":
        return Scenario("parking", tokens=side.tokens, lots=side.lots)
    return Scenario("read", path=READ_PATH)


def _measure(pair: str, side: Side, pg) -> dict:
    window = probe.Window(server_pid=side.served.pid, pg_conn=pg, database=BENCH_DB).start()
    figures = drive(side.served.base, _scenario(pair, side), seconds=SECONDS, clients=CLIENTS)
    _quiesce(pg)  # the requests left in flight finish (and count) inside the window
    window.settle()
    machine = window.stop()
    n = max(1, figures["requests"])
    stats = machine["pg_stats"]
    figures["server_cpu_ms_per_req"] = round(machine["server_cpu_s"] * 1000 / n, 2)
    figures["pg_transactions_per_req"] = round((stats["xact_commit"] + stats["xact_rollback"]) / n, 2)
    figures["pg_active_ms_per_req"] = round(stats["active_time"] / n, 2)
    figures["pg_idle_in_tx_ms_per_req"] = round(stats["idle_in_transaction_time"] / n, 2)
    figures["pg_connections_opened"] = int(stats["sessions"])
    figures["machine"] = machine
    if figures["errors"]:
        with open(side.served.log_path, errors="replace") as log:
            print(f"   {side.name}: {figures['errors']} errors; the end of its gunicorn log:\n{log.read()[-2500:]}")
    side.created += figures["outcomes"].get("created", 0)
    side.reserved += figures["outcomes"].get("reserved", 0)
    side.runs += 1
    return figures


def _quiesce(pg, timeout: float = 15.0) -> None:
    """Wait until the requests a finished run left in flight are done (no transaction open on the database)."""
    deadline, quiet = time.monotonic() + timeout, 0
    time.sleep(0.3)
    while time.monotonic() < deadline and quiet < 3:
        busy = pg.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid() "
                          "AND state <> 'idle'", (BENCH_DB,)).fetchone()[0]
        quiet = quiet + 1 if busy == 0 else 0
        time.sleep(0.05)


def _warm(pair: str, sides: dict[str, Side], pg) -> None:
    for side in sides.values():
        if WARMUP > 0:
            figures = drive(side.served.base, _scenario(pair, side, warm=True), seconds=WARMUP, clients=CLIENTS)
            side.created += figures["outcomes"].get("created", 0)
            side.reserved += figures["outcomes"].get("reserved", 0)
            side.runs += 1
            _quiesce(pg)
    if pair == "parking":  # start the measured run with every spot free and no active reservation
        with pg.transaction():
            pg.execute("UPDATE parking_reservations SET status = 'released', left_at = clock_timestamp() "
                       "WHERE status = 'active'")
            pg.execute("UPDATE parking_spots SET status = 'free'")


BOOKING_CHECK = """
SELECT count(*) FILTER (WHERE s.booked > s.capacity),
       count(*) FILTER (WHERE s.booked <> coalesce(b.seats, 0))
  FROM darshan_slots s
  LEFT JOIN (SELECT slot_id, sum(party_size) AS seats FROM bookings WHERE status = 'confirmed' GROUP BY slot_id) b
    ON b.slot_id = s.id
"""
OVERLAPS = """
SELECT count(*) FROM parking_reservations a JOIN parking_reservations b
  ON a.spot_id = b.spot_id AND a.id < b.id
 AND a.parked_at < coalesce(b.left_at, 'infinity') AND b.parked_at < coalesce(a.left_at, 'infinity')
"""


def _check_booking(sides: dict[str, Side]) -> dict:
    with psycopg.connect(DATABASE_URL) as conn:
        over, mismatched = conn.execute(BOOKING_CHECK).fetchone()
        result = {"overbooked slots": over, "slots whose booked != confirmed seats": mismatched}
        for side in sides.values():
            booked, capacity = conn.execute("SELECT booked, capacity FROM darshan_slots WHERE id = %s",
                                            (side.popular,)).fetchone()
            rows = conn.execute("SELECT count(*) FROM bookings WHERE slot_id = ANY(%s)",
                                ([side.popular, *side.spread, *side.warm_slots],)).fetchone()[0]
            result[f"{side.name}: popular slot booked/capacity"] = f"{booked}/{capacity}"
            result[f"{side.name}: 201s vs booking rows"] = side.rows_agree(side.created, rows)
    result["ok"] = over == 0 and mismatched == 0 and all(
        "MISMATCH" not in str(v) for k, v in result.items() if "201" in k)
    return result


def _check_parking(sides: dict[str, Side]) -> dict:
    with psycopg.connect(DATABASE_URL) as conn:
        overlaps = conn.execute(OVERLAPS).fetchone()[0]
        per_spot = conn.execute("SELECT count(*) FROM (SELECT spot_id FROM parking_reservations "
                                "WHERE status = 'active' GROUP BY spot_id HAVING count(*) > 1) x").fetchone()[0]
        occupied, active = conn.execute(
            "SELECT (SELECT count(*) FROM parking_spots WHERE status = 'occupied'),"
            "       (SELECT count(*) FROM parking_reservations WHERE status = 'active')").fetchone()
        result = {"double allocations (overlapping stays on one spot)": overlaps,
                  "spots with two active reservations": per_spot,
                  "occupied spots = active reservations": f"{occupied} = {active}"}
        for side in sides.values():
            rows = conn.execute("SELECT count(*) FROM parking_reservations WHERE lot_id = ANY(%s)",
                                (side.lots,)).fetchone()[0]
            result[f"{side.name}: 201s vs reservation rows"] = side.rows_agree(side.reserved, rows)
    result["ok"] = overlaps == 0 and per_spot == 0 and occupied == active and all(
        "MISMATCH" not in str(v) for k, v in result.items() if "201" in k)
    return result


def _check_read(sides: dict[str, Side]) -> dict:
    bodies = {s.name: requests.get(s.served.base + READ_PATH, timeout=10).content for s in sides.values()}
    same = bodies["sangam"] == bodies["ceiling"]
    return {"same JSON bytes from both": same, "body bytes": len(bodies["sangam"]), "ok": same}


CHECKS = {"booking": _check_booking, "parking": _check_parking, "read": _check_read}
TITLES = {"booking": "POST /api/v1/bookings (half to one popular slot of 300 seats)",
          "parking": "POST /api/v1/parking/reservations, then …/release (4 lots x 6 spots per side)",
          "read": f"GET {READ_PATH} (public read; the ceiling serves Sangam's bytes from memory)"}


def _verdicts(pair: str, result: dict) -> list[tuple[str, bool]]:
    ratio_target, p99_target = TARGETS[pair]
    sangam, ceiling = result["sangam"], result["ceiling"]
    ratio = round(sangam["rps"] / ceiling["rps"], 3) if ceiling["rps"] else 0.0
    result["ratio"] = ratio
    cpu = sangam["server_cpu_ms_per_req"]
    result["cpu_ratio"] = round(ceiling["server_cpu_ms_per_req"] / cpu, 3) if cpu else None
    out = [("ratio", f"ratio sangam/ceiling {ratio} ≥ {ratio_target}", ratio >= ratio_target)]
    if p99_target is not None:
        out.append(("p99", f"sangam p99 {sangam['p99_ms']} ms < {p99_target:g} ms", sangam["p99_ms"] < p99_target))
    out.append(("errors", f"errors {sangam['errors']} (sangam) + {ceiling['errors']} (ceiling) = 0",
                sangam["errors"] == 0 and ceiling["errors"] == 0))
    check = {"booking": "zero overbooking", "parking": "zero double allocation", "read": "same bytes"}[pair]
    out.append((check.split()[-1], f"correctness: {check}", result["check"]["ok"]))
    return out


def _print_pair(pair: str, result: dict) -> None:
    print(f"\n== {pair}: {TITLES[pair]}")
    print(f"   {generator()}, {CLIENTS} clients, {SECONDS:g} s each after a {WARMUP:g} s warm-up; gunicorn "
          f"{SERVER_ENV['WEB_WORKERS']} workers x {SERVER_ENV['WEB_THREADS']} threads (gthread)")
    rows = [("requests/s", "rps"), ("p50 ms", "p50_ms"), ("p90 ms", "p90_ms"), ("p99 ms", "p99_ms"),
            ("max ms", "max_ms"), ("requests", "requests"), ("errors", "errors"),
            ("server CPU ms/request", "server_cpu_ms_per_req"),
            ("PG transactions/request", "pg_transactions_per_req"),
            ("PG active ms/request", "pg_active_ms_per_req"),
            ("PG idle in transaction ms/req", "pg_idle_in_tx_ms_per_req"),
            ("PG connections opened", "pg_connections_opened")]
    print(f"   {'':28}{'sangam':>14}{'ceiling':>14}")
    for label, key in rows:
        print(f"   {label:28}{result['sangam'][key]!s:>14}{result['ceiling'][key]!s:>14}")
    for side in SIDES:
        m = result[side]["machine"]
        print(f"   {side:8} outcomes {result[side]['outcomes']}; machine busy {m.get('machine_busy_cores')} of "
              f"{os.cpu_count()} cores; load {m['load_before'][0]:.2f} -> {m['load_after'][0]:.2f}")
    print(f"   ratio by server CPU per request (ceiling/sangam; less sensitive to the neighbours' load): "
          f"{result['cpu_ratio']}")
    for key, value in result["check"].items():
        if key != "ok":
            print(f"   check: {key}: {value}")
    for _short, text, ok in result["verdicts"]:
        print(f"   {'PASS' if ok else 'MISS'}  {text}")


def run(pairs: tuple[str, ...] = PAIRS) -> dict:
    """Serve both apps once and run the named pairs; return every figure."""
    sangam_port, ceiling_port = free_port(), free_port()
    env = bench_env(sangam_port, SERVER_ENV)
    print(f"\n== side by side: Sangam vs ceiling on {BENCH_DB} (PostgreSQL) + {REDIS_URL}; {probe.load_line()}")
    started = time.perf_counter()
    _flush_redis()
    migrate_fresh(env, ["create-admin", "--email", "bench-admin@sangam.in", "--password", PASSWORD], ["seed-demo"])
    print(f"   database migrated and seeded in {time.perf_counter() - started:.1f} s")
    results: dict = {"generator": generator(), "clients": CLIENTS, "seconds": SECONDS, "server_env": SERVER_ENV,
                     "load_start": os.getloadavg(), "pairs": {}}
    with ExitStack() as stack:
        sides = {"sangam": Side("sangam"), "ceiling": Side("ceiling")}
        sides["sangam"].served = stack.enter_context(serve("wsgi:app", port=sangam_port, env=env))
        sides["ceiling"].served = stack.enter_context(serve("bench.ceiling:app", port=ceiling_port, env=bench_env(
            ceiling_port, {**SERVER_ENV, "CEILING_SANGAM_URL": sides["sangam"].served.base})))
        _prepare(sides, sides["sangam"].served.base)
        print(f"   both apps served, {CLIENTS} users per side, slots and lots ready at "
              f"{time.perf_counter() - started:.1f} s")
        pg = stack.enter_context(psycopg.connect(DATABASE_URL, autocommit=True))
        for pair in pairs:
            _warm(pair, sides, pg)
            result = {side: _measure(pair, sides[side], pg) for side in SIDES}
            result["check"] = CHECKS[pair](sides)
            result["verdicts"] = _verdicts(pair, result)
            results["pairs"][pair] = result
            _print_pair(pair, result)
    results["load_end"] = os.getloadavg()
    results["wall_seconds"] = round(time.perf_counter() - started, 1)
    _summary(results)
    if os.environ.get("BENCH_JSON"):
        with open(os.environ["BENCH_JSON"], "w") as out:
            json.dump(results, out, indent=1, default=str)
    return results


def _summary(results: dict) -> None:
    print(f"\n== targets (issue 14), {results['generator']}, {results['clients']} clients; load "
          f"{results['load_start'][0]:.2f} at start, {results['load_end'][0]:.2f} at end; "
          f"{results['wall_seconds']} s in all")
    for pair, result in results["pairs"].items():
        s, c = result["sangam"], result["ceiling"]
        print(f"   {pair:8} sangam {s['rps']:>7} req/s p99 {s['p99_ms']:>7} ms | ceiling {c['rps']:>7} req/s "
              f"p99 {c['p99_ms']:>7} ms | ratio {result['ratio']:<6} "
              + "  ".join(f"{short} {'PASS' if ok else 'MISS'}" for short, _text, ok in result["verdicts"]))


def _flush_redis() -> None:
    """Start from an empty benchmark Redis DB (only that DB number: never DB 0 by accident)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    if client.connection_pool.connection_kwargs.get("db", 0) == 0:
        raise SystemExit("bench: BENCH_REDIS_URL must name a Redis DB other than 0")
    client.flushdb()


def main(pairs: tuple[str, ...] | list[str] | None = None) -> dict:
    return run(tuple(pairs or PAIRS))


if __name__ == "__main__":
    main()
