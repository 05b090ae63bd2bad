"""Festival signs at scale (CA-2, CA-4): 500 signs connected at once, heartbeats every 5 s, one override to all.

gunicorn (two workers, Redis message queue) + PostgreSQL (bench.server). Each simulated sign is a
real python-socketio client on the websocket transport. Prints how long the override took to reach
every sign and to be acknowledged (p50/p99, from the operator's POST), how many heartbeats the
server confirmed per second against how many were offered, and whether the server counted every ack.
Every wait is bounded, so a failure ends the run instead of hanging it.
"""

from __future__ import annotations

import statistics
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests
import socketio

from bench.server import BIN, ROOT, bench_env, free_port, report, served_app

SIGNS, HEARTBEAT_SECONDS, WARM_SECONDS = 500, 5.0, 12
PASSWORD = "Signs-bench-passw0rd"
# one thread per connected sign in each gthread worker, plus room for HTTP
SERVER_ENV = {"WEB_WORKERS": "2", "WEB_THREADS": str(SIGNS // 2 + 120), "SIGNS_SWEEP_SECONDS": "2"}


class Sign:
    """A simulated sign: connects, heartbeats, records when the override arrives and is acknowledged."""

    def __init__(self, base: str, key: str):
        self.client = socketio.Client(reconnection=False)
        self.base, self.key = base, key
        self.reached = self.acked = None
        self.heartbeats = self.heartbeat_errors = 0
        self.client.on("override", self._on_override, namespace="/signs")

    def connect(self) -> None:
        self.client.connect(self.base, namespaces=["/signs"], auth={"device_key": self.key},
                            transports=["websocket"], wait_timeout=30)

    def _on_override(self, data):
        self.reached = time.perf_counter()
        threading.Thread(target=self._ack, args=(data["id"],), daemon=True).start()

    def _ack(self, override_id: int) -> None:
        answer = self.client.call("ack", {"override_id": override_id}, namespace="/signs", timeout=30)
        if answer and answer.get("ok"):
            self.acked = time.perf_counter()

    def heartbeat(self, n: int) -> None:
        try:
            answer = self.client.call("heartbeat", {"battery": 100 - n % 50, "signal_strength": 70,
                                                    "crowd_density": 35.0, "crowd_count": n},
                                      namespace="/signs", timeout=10)
            ok = bool(answer and answer.get("ok"))
        except Exception:
            ok = False
        self.heartbeats += ok
        self.heartbeat_errors += not ok


def _operator(base: str, port: int) -> dict:
    env = bench_env(port, SERVER_ENV)
    subprocess.run([str(BIN / "flask"), "create-admin", "--email", "signs-admin@bench.sangam.in", "--password",
                    PASSWORD], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    r = requests.post(f"{base}/api/v1/auth/login", json={"email": "signs-admin@bench.sangam.in",
                                                         "password": PASSWORD}, timeout=10)
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _register(base: str, headers: dict) -> list[str]:
    def one(i: int) -> str:
        r = requests.post(f"{base}/api/v1/city/signs", json={"name": f"Bench sign {i}", "zone": f"zone{i % 20}",
                                                             "group": f"group{i % 5}", "lat": 20.88 + i / 1e4,
                                                             "lng": 70.40}, headers=headers, timeout=30)
        r.raise_for_status()
        return r.json()["key"]

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, range(SIGNS)))


def _connect(base: str, keys: list[str]) -> list[Sign]:
    signs = [Sign(base, key) for key in keys]
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(Sign.connect, signs))
    return signs


def _heartbeats(signs: list[Sign], stop: threading.Event) -> None:
    """Each sign heartbeats every HEARTBEAT_SECONDS, spread evenly over the interval."""
    gap, n = HEARTBEAT_SECONDS / len(signs), 0
    with ThreadPoolExecutor(32) as pool:
        while not stop.is_set():
            pool.submit(signs[n % len(signs)].heartbeat, n)
            n += 1
            stop.wait(gap)


def _percentiles(values: list[float]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    ordered = sorted(values)
    return round(statistics.median(ordered) * 1000, 1), round(ordered[min(len(ordered) - 1,
                                                                            int(len(ordered) * 0.99))] * 1000, 1)


def _wait(check, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def _override(base: str, headers: dict, signs: list[Sign]) -> dict:
    started = time.perf_counter()
    r = requests.post(f"{base}/api/v1/city/signs/overrides", json={"text": "Bench: evacuate now", "severity":
                                                                   "critical", "targets": {"all": True}},
                      headers=headers, timeout=60)
    r.raise_for_status()
    answered = time.perf_counter() - started
    _wait(lambda: all(s.acked for s in signs), 60)
    reach = [s.reached - started for s in signs if s.reached]
    ack = [s.acked - started for s in signs if s.acked]
    counted = requests.get(f"{base}/api/v1/city/signs/overrides/{r.json()['id']}", headers=headers,
                           timeout=30).json()
    return {"reach": reach, "ack": ack, "server acknowledged": counted["acknowledged"],
            "post ms": round(answered * 1000, 1)}


def main() -> dict:
    port = free_port()
    with served_app(port=port, env=SERVER_ENV) as base:
        headers = _operator(base, port)
        signs = _connect(base, _register(base, headers))
        stop = threading.Event()
        beating = threading.Thread(target=_heartbeats, args=(signs, stop), daemon=True)
        beating.start()
        time.sleep(WARM_SECONDS)
        warm = sum(s.heartbeats for s in signs)
        time.sleep(HEARTBEAT_SECONDS * 2)
        rate = (sum(s.heartbeats for s in signs) - warm) / (HEARTBEAT_SECONDS * 2)
        online = len([s for s in signs if s.client.connected])
        result = _override(base, headers, signs)
        stop.set()
        beating.join(10)
        for sign in signs:
            sign.client.disconnect()
    reach_p50, reach_p99 = _percentiles(result["reach"])
    ack_p50, ack_p99 = _percentiles(result["ack"])
    figures = {
        "signs connected": f"{online}/{SIGNS}",
        "heartbeats confirmed/s": round(rate, 1),
        "ratio confirmed/offered": round(rate / (SIGNS / HEARTBEAT_SECONDS), 3),
        "heartbeat errors": sum(s.heartbeat_errors for s in signs),
        "override POST answered in ms": result["post ms"],
        "override reached": f"{len(result['reach'])}/{SIGNS}",
        "reach p50 / p99 ms": f"{reach_p50} / {reach_p99}",
        "acknowledged (signs / server)": f"{len(result['ack'])} / {result['server acknowledged']}",
        "ack p50 / p99 ms": f"{ack_p50} / {ack_p99}",
        "ratio ack p99 / 30 s ack timeout": round(ack_p99 / 30000, 4) if ack_p99 else None,
    }
    report(f"festival signs: {SIGNS} signs, heartbeats every {HEARTBEAT_SECONDS:g} s, one override to all", figures)
    assert len(result["reach"]) == SIGNS, "the override did not reach every sign"
    return figures


if __name__ == "__main__":
    main()
