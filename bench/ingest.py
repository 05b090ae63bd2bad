"""City ingest: readings/s over HTTP (batches of 1 000) and over MQTT, beside raw COPY of the same rows.

gunicorn + PostgreSQL + Redis (bench.server). The readings are a realistic mix — air stations in five
zones (so every batch re-evaluates those zones' AQI), traffic counters, feeder meters, weather and
noise — spread over the last day. Raw COPY writes the very same rows into the same table (same
indexes) in batches of 1 000 on one connection, committing each: the floor of what the database
can take; the ratio says how much of it the whole HTTP path (auth, checks, latest values, effects,
events) keeps. Targets: ≥ 20 000 readings/s over HTTP and a ratio to COPY ≥ 0.3.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import secrets
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import psycopg
import requests

from bench.server import BIN, DATABASE_URL, ROOT, bench_env, free_port, gunicorn, report, reset_database, run_load

BATCH, HTTP_BATCHES, CLIENTS = 1000, 240, 4
MQTT_MESSAGES, MQTT_READINGS_PER_MESSAGE = 400, 250
ZONES = ("somnath", "dwarka", "ambaji", "pavagadh", "veraval")
TARGET_RPS, TARGET_RATIO = 20_000, 0.3
SERVER_ENV = {"WEB_WORKERS": str(max(2, os.cpu_count() or 2)), "WEB_THREADS": "4", "LOG_REQUESTS": "0"}
MIX = [("air", ("pm25", "pm10", "no2", "so2", "co", "o3", "nh3"), 40),
       ("traffic", ("vehicle_count", "avg_speed_kmh"), 30),
       ("energy_meter", ("power_kw", "energy_kwh", "solar_kw"), 15),
       ("weather", ("temperature", "humidity"), 10),
       ("noise", ("noise_db",), 5)]
VALUES = {"pm25": (10, 90), "pm10": (20, 160), "no2": (5, 60), "so2": (2, 20), "co": (0.2, 2.0), "o3": (10, 90),
          "nh3": (5, 40), "vehicle_count": (50, 1500), "avg_speed_kmh": (5, 50), "power_kw": (200, 3000),
          "energy_kwh": (50, 700), "solar_kw": (0, 300), "temperature": (20, 34), "humidity": (40, 90),
          "noise_db": (40, 75)}


def _setup() -> tuple[int, str, list[tuple[int, str]]]:
    """One gateway device and 100 sensors of the mix bound to it (written straight to the benchmark database)."""
    key = "sk_" + secrets.token_urlsafe(32)
    with psycopg.connect(DATABASE_URL) as conn:
        device_id = conn.execute("INSERT INTO devices (name, kind, key_prefix, key_hash, is_active) VALUES "
                                 "('bench gateway', 'sensor', %s, %s, true) RETURNING id",
                                 (key[:10], hashlib.sha256(key.encode()).hexdigest())).fetchone()[0]
        sensors = []
        for kind, metrics, count in MIX:
            for n in range(count):
                sid = conn.execute("INSERT INTO city_sensors (kind, name, lat, lng, zone, device_id, is_active, "
                                   "created_at) VALUES (%s, %s, 20.888, 70.401, %s, %s, true, now()) RETURNING id",
                                   (kind, f"bench {kind} {n}", ZONES[n % len(ZONES)], device_id)).fetchone()[0]
                sensors += [(sid, m) for m in metrics]
    return device_id, key, sensors


def _batches(series: list[tuple[int, str]], count: int, size: int, seed: int) -> list[list[dict]]:
    rng, now = random.Random(seed), datetime.now(UTC)
    out = []
    for b in range(count):
        batch = []
        for i in range(size):
            sid, metric = series[(b * size + i) % len(series)]
            low, high = VALUES[metric]
            at = now - timedelta(seconds=rng.uniform(60, 86_000))
            batch.append({"sensor_id": sid, "metric": metric, "value": round(rng.uniform(low, high), 2),
                          "at": at.isoformat()})
        out.append(batch)
    return out


def _raw_copy(batches: list[list[dict]]) -> dict:
    """The same rows by COPY, batch by batch, committing each (then removed again)."""
    rows = [[(r["sensor_id"], r["metric"], r["value"], datetime.fromisoformat(r["at"])) for r in b] for b in batches]
    with psycopg.connect(DATABASE_URL) as conn:
        start = time.perf_counter()
        for batch in rows:
            with conn.cursor() as cur, cur.copy("COPY city_readings (sensor_id, metric, value, at) FROM STDIN") as cp:
                for row in batch:
                    cp.write_row(row)
            conn.commit()
        seconds = time.perf_counter() - start
        conn.execute("DELETE FROM city_readings WHERE id > (SELECT coalesce(max(id), 0) FROM city_readings) - %s",
                     (sum(len(b) for b in rows),))
        conn.commit()
    total = sum(len(b) for b in rows)
    return {"readings": total, "seconds": round(seconds, 2), "readings_per_s": round(total / seconds)}


def _http(base: str, key: str, batches: list[list[dict]]) -> dict:
    bodies = [json.dumps({"readings": b}).encode() for b in batches]
    per_client = len(bodies) // CLIENTS
    headers = {"X-Device-Key": key, "Content-Type": "application/json"}
    accepted = [0]

    def post(session: requests.Session, client: int, i: int) -> bool:
        r = session.post(f"{base}/api/v1/city/readings", data=bodies[client * per_client + i], headers=headers,
                         timeout=30)
        if r.status_code == 202:
            accepted[0] += r.json()["accepted"]
        return r.status_code == 202 and not r.json()["rejected"]

    post(requests.Session(), 0, 0)  # warm both workers' code paths once (not counted)
    load = run_load(post, clients=CLIENTS, requests=per_client)
    total = load["count"] * BATCH
    return {"readings": total, "seconds": load["seconds"], "readings_per_s": round(total / load["seconds"]),
            "errors": load["errors"], "p50_ms": load["p50_ms"], "p99_ms": load["p99_ms"]}


def _count() -> int:
    with psycopg.connect(DATABASE_URL) as conn:
        return conn.execute("SELECT count(*) FROM city_readings").fetchone()[0]


def _mqtt(device_id: int, key: str, series: list[tuple[int, str]], env: dict) -> dict:
    """Publish messages to Mosquitto while the consumer runs; time until every reading is stored."""
    import paho.mqtt.client as mqtt

    consumer = subprocess.Popen([str(BIN / "flask"), "city", "ingest-mqtt"], cwd=ROOT,
                                env={**env, "MQTT_METRICS_PORT": "0"}, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
    try:
        time.sleep(3)  # let it connect and subscribe before publishing
        before = _count()
        messages = [json.dumps({"key": key, "readings": b}).encode()
                    for b in _batches(series, MQTT_MESSAGES, MQTT_READINGS_PER_MESSAGE, seed=3)]
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="bench-publisher")
        client.connect("127.0.0.1", 1883)
        client.loop_start()
        start = time.perf_counter()
        for body in messages:
            client.publish(f"sangam/readings/{device_id}", body, qos=1)
        total = MQTT_MESSAGES * MQTT_READINGS_PER_MESSAGE
        deadline = start + 120
        while _count() - before < total and time.perf_counter() < deadline:
            time.sleep(0.05)
        seconds = time.perf_counter() - start
        stored = _count() - before
        client.loop_stop()
        client.disconnect()
    finally:
        consumer.terminate()
        consumer.wait(20)
    return {"readings": stored, "seconds": round(seconds, 2), "readings_per_s": round(stored / seconds)}


def main() -> dict:
    port = free_port()
    env = bench_env(port, SERVER_ENV)
    reset_database()
    subprocess.run([str(BIN / "flask"), "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True,
                   timeout=120)
    device_id, key, series = _setup()
    batches = _batches(series, HTTP_BATCHES, BATCH, seed=1)
    with gunicorn("wsgi:app", port=port, env=env) as base:
        http = _http(base, key, batches)
    copy = _raw_copy(batches)
    mqtt = _mqtt(device_id, key, series, env)
    ratio = round(http["readings_per_s"] / copy["readings_per_s"], 2)
    figures = {"cpu cores": os.cpu_count(), "gunicorn workers x threads":
               f"{SERVER_ENV['WEB_WORKERS']} x {SERVER_ENV['WEB_THREADS']}, {CLIENTS} clients",
               "HTTP readings/s (batches of 1 000)": http["readings_per_s"], "HTTP p50 / p99 ms per batch":
               f"{http['p50_ms']} / {http['p99_ms']}", "HTTP errors": http["errors"],
               "MQTT readings/s": mqtt["readings_per_s"], "MQTT readings stored": mqtt["readings"],
               "raw COPY readings/s (same rows)": copy["readings_per_s"], "HTTP / COPY ratio": ratio,
               f"HTTP >= {TARGET_RPS}": http["readings_per_s"] >= TARGET_RPS, f"ratio >= {TARGET_RATIO}":
               ratio >= TARGET_RATIO}
    report("city ingest: HTTP and MQTT against raw COPY (gunicorn gthread, PostgreSQL + Redis)", figures)
    assert http["errors"] == 0 and mqtt["readings"] == MQTT_MESSAGES * MQTT_READINGS_PER_MESSAGE
    return figures


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
