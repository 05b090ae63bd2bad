"""Sangam in this process (Flask test client) against a benchmark PostgreSQL database and Redis.

Used by ``statements`` (what a request sends to the database) and ``costcentres`` (where its CPU
goes). The database is ``<BENCH_DB>_inproc`` (migrated, demo data), so the side-by-side run may
drop its own database meanwhile; the app is built once per process (create_app registers global
state: blueprints on the one Api, event subscribers).

``Recorder`` counts, per request: SQLAlchemy statements (``before_cursor_execute`` on Sangam's
engine), real database round trips (libpq's protocol trace: one ``ReadyForQuery`` per round trip,
so BEGIN, COMMIT, ROLLBACK, SAVEPOINTs and the pool's pre-ping count too) and Redis commands.
"""

from __future__ import annotations

import functools
import os
import tempfile
from dataclasses import dataclass, field

import psycopg

from bench.server import BENCH_DB, DATABASE_URL, PG_ADMIN_URL, bench_env, flask_commands

INPROC_DB = f"{BENCH_DB}_inproc"
INPROC_URL = DATABASE_URL.rsplit("/", 1)[0] + f"/{INPROC_DB}"
PASSWORD = "Darshan-rush-2026"
ADMIN = "inproc-admin@sangam.in"


@dataclass
class Fixture:
    app: object
    client: object
    user: dict  # Authorization header of a pilgrim
    admin: dict
    slot_id: int
    lot_ids: list[int]
    temple: str = "somnath"
    extra: dict = field(default_factory=dict)

    @property
    def engine(self):
        from app.extensions import db

        with self.app.app_context():
            return db.engine


def _reset() -> None:
    assert INPROC_DB.startswith("sangam_bench"), INPROC_DB
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {INPROC_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {INPROC_DB}")


SETTINGS = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "JWT_SECRET_KEY", "RATELIMIT_ENABLED", "LOG_LEVEL",
            "PASSWORD_HASH_TIME_COST", "PASSWORD_HASH_MEMORY_KIB", "JWT_ACCESS_MINUTES", "FLASK_APP")


@functools.cache
def fixture(fresh: bool = True) -> Fixture:
    """The app, a logged-in pilgrim and admin, a roomy slot far ahead, and lots with many spots.

    ``fresh=False`` reuses the database a previous fixture prepared (a child process with other settings);
    settings already in the environment (``LOG_LEVEL``, ``RATELIMIT_ENABLED`` …) win over the bench defaults.
    """
    env = bench_env(0, {"DATABASE_URL": INPROC_URL, "JWT_ACCESS_MINUTES": "120"})
    if fresh:
        _reset()
        flask_commands(env, ["db", "upgrade"], ["create-admin", "--email", ADMIN, "--password", PASSWORD],
                       ["seed-demo"])
    for key in SETTINGS:
        os.environ[key] = os.environ.get(key, env[key]) if not fresh and key != "DATABASE_URL" else env[key]
    from app import create_app

    app = create_app()
    client = app.test_client()

    def login(email: str) -> dict:
        r = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        assert r.status_code == 200, r.get_json()
        return {"Authorization": f"Bearer {r.get_json()['access_token']}"}

    if not fresh:
        with psycopg.connect(INPROC_URL) as conn:
            slot_id = conn.execute("SELECT min(id) FROM darshan_slots WHERE capacity = 100000").fetchone()[0]
            lot_ids = [r[0] for r in conn.execute("SELECT id FROM parking_lots WHERE name LIKE 'In-process lot%%' "
                                                  "ORDER BY id")]
        return Fixture(app=app, client=client, user=login("inproc@bench.sangam.in"), admin=login(ADMIN),
                       slot_id=slot_id, lot_ids=lot_ids)
    r = client.post("/api/v1/auth/register", json={"email": "inproc@bench.sangam.in", "password": PASSWORD,
                                                   "full_name": "In-process pilgrim"})
    assert r.status_code == 201, r.get_json()
    user, admin = login("inproc@bench.sangam.in"), login(ADMIN)
    with psycopg.connect(INPROC_URL, autocommit=True) as conn:
        slot_id = conn.execute(
            "INSERT INTO darshan_slots (temple_id, starts_at, ends_at, capacity, booked, status) "
            "SELECT id, date_trunc('day', now()) + interval '60 days', "
            "date_trunc('day', now()) + interval '60 days 30 minutes', 100000, 0, 'open' "
            "FROM temples WHERE slug = 'somnath' RETURNING id").fetchone()[0]
    lot_ids = []
    for n in range(2):
        r = client.post("/api/v1/parking/lots", headers=admin, json={
            "name": f"In-process lot {n + 1}", "address": "Somnath Temple Road, Veraval", "pin_code": "362268",
            "price_per_hour": "30.00", "total_spots": 50})
        assert r.status_code == 201, r.get_json()
        lot_ids.append(r.get_json()["id"])
    return Fixture(app=app, client=client, user=user, admin=admin, slot_id=slot_id, lot_ids=lot_ids)


class Recorder:
    """Count what requests send to PostgreSQL and Redis while ``with recorder:`` is open."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.engine, self.statements, self.redis = engine, [], []
        self._traces: list[tuple[object, object]] = []
        self._on = False
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "connect", self._connect)
        engine.dispose()  # every connection from now on is a new, traced one
        self._patch_redis()

    def _statement(self, _conn, _cursor, statement, _params, _context, _many):
        if self._on:
            self.statements.append(" ".join(statement.split()))

    def _connect(self, dbapi_conn, _record):
        out = tempfile.TemporaryFile("w+")  # noqa: SIM115 - lives as long as the traced connection
        pgconn = dbapi_conn.pgconn
        pgconn.trace(out.fileno())
        pgconn.set_trace_flags(psycopg.pq.Trace.SUPPRESS_TIMESTAMPS | psycopg.pq.Trace.REGRESS_MODE)
        self._traces.append((pgconn, out))

    def _patch_redis(self):
        import redis

        if getattr(redis.Redis.execute_command, "_bench", False):
            return
        recorder = self
        plain, pipeline = redis.Redis.execute_command, redis.client.Pipeline.execute

        def execute_command(self, *args, **options):
            if recorder._on:
                recorder.redis.append(str(args[0]))
            return plain(self, *args, **options)

        def execute(self, *args, **kwargs):
            if recorder._on:
                recorder.redis.append(f"pipeline[{len(self.command_stack)}]")
            return pipeline(self, *args, **kwargs)

        execute_command._bench = True
        redis.Redis.execute_command = execute_command
        redis.client.Pipeline.execute = execute

    def __enter__(self):
        self.statements, self.redis = [], []
        for pgconn, out in self._traces:
            if pgconn.status == psycopg.pq.ConnStatus.OK:
                pgconn.untrace()
                out.seek(0)
                out.truncate()
                pgconn.trace(out.fileno())
                pgconn.set_trace_flags(psycopg.pq.Trace.SUPPRESS_TIMESTAMPS | psycopg.pq.Trace.REGRESS_MODE)
        self._on = True
        return self

    def __exit__(self, *exc):
        self._on = False
        self.protocol = []
        for pgconn, out in self._traces:
            if pgconn.status == psycopg.pq.ConnStatus.OK:
                pgconn.untrace()  # flushes libpq's buffer
                pgconn.trace(out.fileno())
                pgconn.set_trace_flags(psycopg.pq.Trace.SUPPRESS_TIMESTAMPS | psycopg.pq.Trace.REGRESS_MODE)
            out.seek(0)
            self.protocol += out.read().splitlines()
        return False

    @property
    def round_trips(self) -> int:
        return sum(1 for line in self.protocol if "\tReadyForQuery" in line)

    @property
    def sent(self) -> list[str]:
        """What went over the wire, in order: simple queries (BEGIN, COMMIT, ping) and prepared statements."""
        out = []
        for line in self.protocol:
            parts = line.split("\t")
            if len(parts) >= 4 and parts[0] == "F" and parts[2] in ("Query", "Parse"):
                text = parts[3].strip()
                if parts[2] == "Parse":  # "" "SELECT …" n OIDs
                    text = text.split('" "', 1)[-1]
                out.append(" ".join(text.strip('"').split()))
        return out
