"""One load generator for both sides of a pair: wrk with bench/lua/scenario.lua, else Python asyncio.

A closed loop of ``clients`` keep-alive connections for a fixed duration; each client sends its next
request as soon as the previous answer arrived. Three scenarios (``Scenario.mode``):

- ``booking``: every other request books the popular slot, the rest a random slot of ``spread``;
  201 and 409 ``slot_full`` are outcomes, anything else an error;
- ``parking``: each client reserves (lots in turn) and then releases what it got; 201, 200 and 409
  ``lot_full`` are outcomes;
- ``read``: ``GET path``; 200 is the outcome.

wrk (``apt-get install wrk``) is used when found on PATH (``BENCH_LOADGEN=python`` forces the
fallback); it runs one thread per client so a client can keep its state (see the Lua file). The
Python fallback (one asyncio loop, raw HTTP/1.1) does the same work but costs more CPU on the box.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

LUA = Path(__file__).parent / "lua" / "scenario.lua"
EXPECTED = {"booking": {"created", "slot_full"}, "parking": {"reserved", "released", "lot_full"}, "read": {"ok"}}


@dataclass
class Scenario:
    mode: str
    path: str = ""
    tokens: list[str] = field(default_factory=list)
    popular: int | None = None
    spread: list[int] = field(default_factory=list)
    lots: list[int] = field(default_factory=list)

    def config_text(self) -> str:
        lines = [f"mode={self.mode}", f"path={self.path}", f"popular={self.popular or ''}",
                 f"spread={','.join(map(str, self.spread))}", f"lots={','.join(map(str, self.lots))}"]
        return "\n".join(lines + [f"token={t}" for t in self.tokens]) + "\n"


def generator() -> str:
    """``wrk`` or ``python-asyncio``."""
    if os.environ.get("BENCH_LOADGEN", "wrk") != "python" and shutil.which("wrk"):
        return "wrk"
    return "python-asyncio"


def drive(base: str, scenario: Scenario, *, seconds: float, clients: int = 32) -> dict:
    """Run the scenario against ``base``; return rps, p50/p99 ms, errors and the outcome counts."""
    raw = _wrk(base, scenario, seconds, clients) if generator() == "wrk" else _python(base, scenario, seconds, clients)
    outcomes = raw["outcomes"]
    unexpected = sum(v for k, v in outcomes.items() if k not in EXPECTED[scenario.mode])
    seconds_run = raw["duration_us"] / 1e6
    return {"generator": generator(), "clients": clients, "seconds": round(seconds_run, 2),
            "requests": raw["requests"], "rps": round(raw["requests"] / seconds_run, 1) if seconds_run else 0.0,
            "p50_ms": round(raw["p50_us"] / 1000, 1), "p90_ms": round(raw["p90_us"] / 1000, 1),
            "p99_ms": round(raw["p99_us"] / 1000, 1), "max_ms": round(raw["max_us"] / 1000, 1),
            "errors": unexpected + raw["socket_errors"], "socket_errors": raw["socket_errors"],
            "outcomes": dict(sorted(outcomes.items()))}


def _wrk(base: str, scenario: Scenario, seconds: float, clients: int) -> dict:
    with tempfile.NamedTemporaryFile("w", prefix="bench-wrk-", suffix=".cfg") as cfg:
        cfg.write(scenario.config_text())
        cfg.flush()
        done = subprocess.run(["wrk", f"-t{clients}", f"-c{clients}", f"-d{max(1, round(seconds))}s",
                               "--timeout", "10s", "-s", str(LUA), base, "--", cfg.name],
                              capture_output=True, text=True, timeout=seconds + 60)
    for line in done.stdout.splitlines():
        if line.startswith("BENCHJSON "):
            return json.loads(line[len("BENCHJSON "):])
    raise RuntimeError(f"wrk gave no figures (exit {done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")


class ClientState:
    """One client's next request and what it makes of the answer (the twin of scenario.lua)."""

    def __init__(self, scenario: Scenario, index: int, counts: dict):
        self.s, self.index, self.counts, self.n = scenario, index, counts, 0
        self.active: str | None = None
        self.last = None
        token = scenario.tokens[index % len(scenario.tokens)] if scenario.tokens else None
        self.headers = "Content-Type: application/json\r\n" if scenario.mode != "read" else ""
        if token:
            self.headers += f"Authorization: Bearer {token}\r\n"

    def next(self) -> tuple[str, str, bytes]:
        self.n += 1
        s = self.s
        if s.mode == "read":
            return "GET", s.path, b""
        if s.mode == "booking":
            slot = s.popular if self.n % 2 == 0 else random.choice(s.spread)
            return "POST", "/api/v1/bookings", json.dumps({"slot_id": slot, "party_size": 1}).encode()
        if self.active:
            self.last = "release"
            return "POST", f"/api/v1/parking/reservations/{self.active}/release", b""
        self.last = "reserve"
        lot = s.lots[(self.index + self.n) % len(s.lots)]
        return "POST", "/api/v1/parking/reservations", json.dumps(
            {"lot_id": lot, "vehicle_number": f"GJ11AB{self.index:04d}"}).encode()

    def _count(self, key: str) -> None:
        self.counts[key] = self.counts.get(key, 0) + 1

    def answer(self, status: int, body: bytes) -> None:
        mode = self.s.mode
        if mode == "read":
            self._count("ok" if status == 200 else f"status_{status}")
        elif mode == "booking":
            self._count("created" if status == 201 else _code(body) if status == 409 else f"status_{status}")
        elif self.last == "release":
            self.active = None
            self._count("released" if status == 200 else f"release_status_{status}")
        elif status == 201:
            self.active = str(json.loads(body)["id"])
            self._count("reserved")
        else:
            self._count(_code(body) if status == 409 else f"reserve_status_{status}")


def _code(body: bytes) -> str:
    try:
        return json.loads(body).get("error") or "conflict"
    except ValueError:
        return "conflict"


def _python(base: str, scenario: Scenario, seconds: float, clients: int) -> dict:
    return asyncio.run(_python_run(base, scenario, seconds, clients))


async def _python_run(base: str, scenario: Scenario, seconds: float, clients: int) -> dict:
    url = urlsplit(base)
    counts: dict[str, int] = {}
    latencies: list[float] = []
    errors = [0, 0]  # socket errors, timeouts
    started = time.perf_counter()
    deadline = started + seconds

    async def client(index: int) -> None:
        state = ClientState(scenario, index, counts)
        reader = writer = None
        while time.perf_counter() < deadline:
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(url.hostname, url.port)
                method, path, body = state.next()
                head = (f"{method} {path} HTTP/1.1\r\nHost: {url.netloc}\r\n{state.headers}"
                        f"Content-Length: {len(body)}\r\n\r\n").encode()
                t0 = time.perf_counter()
                writer.write(head + body)
                status, payload, close = await asyncio.wait_for(_read_response(reader), timeout=10)
                latencies.append(time.perf_counter() - t0)
                state.answer(status, payload)
                if close:
                    writer.close()
                    writer = None
            except (OSError, asyncio.IncompleteReadError, TimeoutError) as exc:
                errors[0] += 1
                errors[1] += isinstance(exc, TimeoutError)
                if writer is not None:
                    writer.close()
                writer = None
        if writer is not None:
            writer.close()

    await asyncio.gather(*(client(i) for i in range(clients)))
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies) or [0.0]

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] * 1e6

    return {"requests": len(latencies), "duration_us": elapsed * 1e6, "socket_errors": errors[0],
            "timeouts": errors[1], "p50_us": pct(50), "p90_us": pct(90), "p99_us": pct(99),
            "max_us": ordered[-1] * 1e6, "mean_us": sum(ordered) / len(ordered) * 1e6, "outcomes": counts}


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    status = int((await reader.readline()).split()[1])
    length, close = 0, False
    while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "connection" and value.strip().lower() == "close":
            close = True
    return status, await reader.readexactly(length) if length else b"", close
