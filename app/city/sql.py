"""The city domain's few dialect differences, in one place.

* bulk writes of readings: PostgreSQL ``COPY … FROM STDIN`` on the session's own connection (so it
  joins the unit of work), SQLite an ``executemany``; either way one round trip per batch;
* upserts (``INSERT … ON CONFLICT``), which both dialects have but SQLAlchemy spells per dialect;
* time buckets as whole seconds since the epoch, computed by the database.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import BigInteger, cast, func, insert, text
from sqlalchemy.dialects import postgresql, sqlite

from app.city.models import LatestReading, Reading
from app.extensions import db

COPY_READINGS = "COPY city_readings (sensor_id, metric, value, at) FROM STDIN"


def dialect() -> str:
    return db.session.get_bind().dialect.name


def write_readings(rows: list[tuple[int, str, float, datetime]]) -> None:
    """Store readings (sensor_id, metric, value, at) in one round trip, inside the current transaction."""
    if not rows:
        return
    if dialect() == "postgresql":
        raw = db.session.connection().connection.driver_connection
        with raw.cursor() as cur, cur.copy(COPY_READINGS) as copy:
            for row in rows:
                copy.write_row(row)
        return
    db.session.execute(insert(Reading), [{"sensor_id": s, "metric": m, "value": v, "at": a} for s, m, v, a in rows])


def upsert(model, rows: list[dict], *, keys: tuple[str, ...], update: dict):
    """INSERT rows, or on a key conflict apply ``update(table, excluded)`` → {column: expression}."""
    module = postgresql if dialect() == "postgresql" else sqlite
    stmt = module.insert(model).values(rows)
    return stmt.on_conflict_do_update(index_elements=list(keys), set_=update(model.__table__, stmt.excluded))


def insert_ignore(model, rows: list[dict], *, keys: tuple[str, ...]):
    """INSERT rows, skipping those whose key already exists."""
    module = postgresql if dialect() == "postgresql" else sqlite
    return module.insert(model).values(rows).on_conflict_do_nothing(index_elements=list(keys))


UPSERT_LATEST_PG = text("""
INSERT INTO city_latest_readings (sensor_id, metric, value, at)
SELECT * FROM unnest(CAST(:sensor_ids AS integer[]), CAST(:metrics AS varchar[]), CAST(:vals AS float8[]),
                     CAST(:ats AS timestamptz[]))
ON CONFLICT (sensor_id, metric) DO UPDATE SET value = excluded.value, at = excluded.at
WHERE excluded.at >= city_latest_readings.at
""")


def write_latest(rows: list[dict]) -> None:
    """Upsert the newest value per (sensor, metric) — a late reading never replaces a newer one.

    PostgreSQL: one statement over arrays (one round trip, one cached plan); SQLite: an executemany.
    ``rows`` come sorted by key, so concurrent batches lock rows in the same order.
    """
    if dialect() == "postgresql":
        db.session.execute(UPSERT_LATEST_PG, {"sensor_ids": [r["sensor_id"] for r in rows],
                                              "metrics": [r["metric"] for r in rows],
                                              "vals": [r["value"] for r in rows], "ats": [r["at"] for r in rows]})
        return
    table = LatestReading.__table__
    stmt = sqlite.insert(table)
    stmt = stmt.on_conflict_do_update(index_elements=["sensor_id", "metric"],
                                      set_={"value": stmt.excluded.value, "at": stmt.excluded.at},
                                      where=stmt.excluded.at >= table.c.at)
    db.session.execute(stmt, rows)


def epoch_seconds(column):
    """Whole seconds since 1970 of a timestamp column, as the database computes it."""
    if dialect() == "postgresql":
        return cast(func.floor(func.extract("epoch", column)), BigInteger)
    return cast(func.strftime("%s", column), BigInteger)


def bucket_epoch(column, seconds: int, offset_s: int = 0):
    """The epoch second at which a reading's bucket starts (buckets aligned to ``offset_s`` from UTC)."""
    shifted = epoch_seconds(column) + offset_s
    return shifted - (shifted % seconds) - offset_s


def least(a, b):
    return func.least(a, b) if dialect() == "postgresql" else func.min(a, b)


def greatest(a, b):
    return func.greatest(a, b) if dialect() == "postgresql" else func.max(a, b)


def from_epoch(value: int) -> datetime:
    return datetime.fromtimestamp(int(value), UTC)
