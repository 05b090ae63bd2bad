"""How loaded the machine is, and what a server (and PostgreSQL for its database) spent on a run.

Linux /proc: load averages, whole-machine busy time (/proc/stat), utime+stime of a process tree
(gunicorn master + workers, all threads) and of the PostgreSQL backends of one database (only those
alive at the end: a backend whose connection closed during the run takes its CPU with it).
pg_stat_database: sessions opened, transactions, active and idle-in-transaction time.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime (all threads)


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            kids += [int(k) for k in (task / "children").read_text().split()]
    except OSError:
        pass
    return kids


def tree(pid: int) -> list[int]:
    """A process and all its descendants."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += _children(current)
    return found


def cpu_of(pids: list[int]) -> dict[int, float]:
    return {p: s for p in pids if (s := _cpu_seconds(p)) is not None}


def _machine() -> tuple[float, float] | None:
    """(busy, total) seconds of all cores since boot."""
    try:
        parts = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except OSError:
        return None
    idle = parts[3] + (parts[4] if len(parts) > 4 else 0)
    return (sum(parts) - idle) / TICK, sum(parts) / TICK


PG_STATS = ("sessions", "xact_commit", "xact_rollback", "active_time", "idle_in_transaction_time",
            "tup_inserted", "tup_updated", "deadlocks")


def pg_database_stats(conn, database: str) -> dict:
    """The database's cumulative counters (pg_stat_database): sessions opened, transactions, time spent
    executing statements (active_time, ms) and idle inside open transactions (ms: locks held while the
    client computes). PostgreSQL flushes them about once a second, so read them after a quiet moment."""
    conn.execute("SELECT pg_stat_clear_snapshot()")
    row = conn.execute(f"SELECT {', '.join(PG_STATS)} FROM pg_stat_database WHERE datname = %s",
                       (database,)).fetchone()
    return dict(zip(PG_STATS, (float(v or 0) for v in row), strict=True)) if row else {}


def pg_backends(conn, database: str) -> list[int]:
    """PIDs of the PostgreSQL backends connected to ``database`` (same machine: their /proc is readable)."""
    rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                        (database,)).fetchall()
    return [r[0] for r in rows]


@dataclass
class Window:
    """CPU spent between ``start()`` and ``stop()`` by a server tree and a database's backends."""

    server_pid: int | None = None
    pg_conn: object = None
    database: str | None = None
    before: dict = field(default_factory=dict)
    figures: dict = field(default_factory=dict)

    def _snapshot(self) -> dict:
        pg = cpu_of(pg_backends(self.pg_conn, self.database)) if self.pg_conn is not None else {}
        stats = pg_database_stats(self.pg_conn, self.database) if self.pg_conn is not None else {}
        server = cpu_of(tree(self.server_pid)) if self.server_pid else {}
        return {"t": time.perf_counter(), "load": os.getloadavg(), "machine": _machine(), "server": server, "pg": pg,
                "pg_stats": stats}

    def settle(self) -> None:
        """Let PostgreSQL flush its statistics (about once a second) before ``stop``."""
        time.sleep(1.2)

    def start(self) -> Window:
        self.before = self._snapshot()
        return self

    def stop(self) -> dict:
        after, before = self._snapshot(), self.before
        seconds = after["t"] - before["t"]

        def spent(kind: str) -> float:
            # processes present at the end: what they spent since the start (new ones: all of it)
            return sum(s - before[kind].get(p, 0.0) for p, s in after[kind].items())

        figures = {"seconds": seconds, "load_before": before["load"], "load_after": after["load"],
                   "server_cpu_s": spent("server") if self.server_pid else None,
                   "pg_cpu_s": spent("pg") if self.pg_conn is not None else None,
                   "pg_stats": {k: after["pg_stats"][k] - before["pg_stats"].get(k, 0.0) for k in after["pg_stats"]}}
        if before["machine"] and after["machine"]:
            busy = after["machine"][0] - before["machine"][0]
            total = after["machine"][1] - before["machine"][1]
            figures["machine_busy_pct"] = round(100 * busy / total, 1) if total else None
            figures["machine_busy_cores"] = round(busy / seconds, 2) if seconds else None
        self.figures = figures
        return figures


def load_line() -> str:
    """``load 1/5/15 min: a b c on N cores`` for a report header."""
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} / {five:.2f} / {fifteen:.2f} (1/5/15 min) on {os.cpu_count()} cores"
