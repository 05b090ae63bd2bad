"""Where a served read's CPU goes, inside and outside ``Flask.wsgi_app`` (issue 14, third round).

Sangam is served as in ``side_by_side`` (gunicorn.conf.py, ``BENCH_WEB_WORKERS`` x ``BENCH_WEB_THREADS``,
fresh benchmark database with the demo seed), wrk drives the public slots read, and py-spy samples one
worker while it holds the GIL (``py-spy`` from requirements-dev.txt; the benchmark is skipped without it). Printed: the
share of the worker's samples spent inside ``Flask.wsgi_app`` and outside it (gunicorn's HTTP parsing and writing, the
Engine.IO middleware, thread hand-offs), then the functions with the most samples of their own in each part.

    python -m bench http_profile      # BENCH_SECONDS (default 15) of load, sampled at 250 Hz
"""

from __future__ import annotations

import collections
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from bench import probe
from bench.loadgen import Scenario, drive, generator
from bench.server import bench_env, free_port, migrate_fresh, serve
from bench.side_by_side import CLIENTS, READ_PATH, SECONDS, SERVER_ENV, _flush_redis

RATE = 250
TOP = 12


def _workers(master: int) -> list[int]:
    with open(f"/proc/{master}/task/{master}/children") as f:
        return [int(pid) for pid in f.read().split()]


def _frame(entry: str) -> str:
    """``name (path/file.py:line)`` → ``name (package/file.py)``, short enough to read."""
    name, _, where = entry.partition(" (")
    path = where.split(":")[0]
    for marker in ("site-packages/", "/readcache/", "/lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{name} ({path})"


def profile(seconds: float = SECONDS) -> dict:
    spy = shutil.which("py-spy") or os.path.join(os.path.dirname(os.sys.executable), "py-spy")
    if not os.path.exists(spy):
        print("\n== http_profile: py-spy is not installed (requirements-dev.txt); skipped")
        return {}
    port = free_port()
    env = bench_env(port, SERVER_ENV)
    _flush_redis()
    migrate_fresh(env, ["seed-demo"])
    print(f"\n== http_profile: GET {READ_PATH} served by gunicorn {SERVER_ENV['WEB_WORKERS']} x "
          f"{SERVER_ENV['WEB_THREADS']}, {generator()} {CLIENTS} clients, {seconds:g} s; {probe.load_line()}")
    with serve("wsgi:app", port=port, env=env) as served, tempfile.NamedTemporaryFile(suffix=".txt") as out:
        worker = _workers(served.pid)[0]
        drive(served.base, Scenario("read", path=READ_PATH), seconds=2, clients=CLIENTS)  # warm-up: caches filled
        load = threading.Thread(target=lambda: result.update(drive(
            served.base, Scenario("read", path=READ_PATH), seconds=seconds + 2, clients=CLIENTS)))
        result: dict = {}
        load.start()
        subprocess.run([spy, "record", "--pid", str(worker), "--rate", str(RATE), "--duration", str(int(seconds)),
                        "--format", "raw", "--output", out.name, "--nonblocking", "--gil"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        load.join()
        lines = Path(out.name).read_text().splitlines()
        if os.environ.get("BENCH_PROFILE_RAW"):
            Path(os.environ["BENCH_PROFILE_RAW"]).write_text("\n".join(lines))
    inside, outside = collections.Counter(), collections.Counter()
    total = {"inside": 0, "outside": 0}
    for line in lines:
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        n = int(count)
        part = "inside" if any(f.startswith("Flask.wsgi_app (") for f in frames) else "outside"
        total[part] += n
        (inside if part == "inside" else outside)[_frame(frames[-1])] += n
    samples = sum(total.values()) or 1
    print(f"   {result.get('rps', 0):.0f} req/s over both workers; {samples} samples of one worker's threads")
    for part, counter in (("inside", inside), ("outside", outside)):
        print(f"   {part} Flask.wsgi_app: {100 * total[part] / samples:.0f} % of the samples; top own frames:")
        for frame, n in counter.most_common(TOP):
            print(f"      {100 * n / samples:5.1f} %  {frame}")
    return {"rps": result.get("rps"), "inside_share": total["inside"] / samples,
            "inside": inside.most_common(TOP), "outside": outside.most_common(TOP)}


def main() -> dict:
    return profile()
