"""A cached public read (GET /api/v1/alerts?active=true) vs a bare Flask endpoint, both under gunicorn."""

from __future__ import annotations

from bench.server import bench_env, free_port, gunicorn, report, run_load, served_app

CLIENTS, REQUESTS = 16, 200


def _get(url: str):
    def call(session, _client, _i) -> bool:
        return session.get(url, timeout=10).status_code == 200

    return call


def main() -> dict:
    with served_app() as base:
        url = f"{base}/api/v1/alerts?active=true"
        run_load(_get(url), clients=4, requests=20)  # warm the cache and connections
        sangam = run_load(_get(url), clients=CLIENTS, requests=REQUESTS)
    port = free_port()
    with gunicorn("bench.bare_app:app", port=port, env=bench_env(port)) as base:
        run_load(_get(f"{base}/bare"), clients=4, requests=20)
        bare = run_load(_get(f"{base}/bare"), clients=CLIENTS, requests=REQUESTS)
    figures = {
        "clients x requests": f"{CLIENTS} x {REQUESTS}",
        "sangam cached read rps": sangam["rps"], "sangam p50 ms": sangam["p50_ms"],
        "sangam p99 ms": sangam["p99_ms"], "sangam errors": sangam["errors"],
        "bare flask rps": bare["rps"], "bare p50 ms": bare["p50_ms"], "bare p99 ms": bare["p99_ms"],
        "ratio sangam/bare (rps)": round(sangam["rps"] / bare["rps"], 3) if bare["rps"] else None,
    }
    report("cached read vs bare Flask (gunicorn gthread, PostgreSQL + Redis)", figures)
    assert sangam["errors"] == 0 and bare["errors"] == 0
    return figures
