"""Where a request's time goes: ms per request by cost centre, in process (issue 14).

Each request is a prebuilt WSGI environ handed to ``app.wsgi_app`` (bench.inproc: Sangam against the
benchmark PostgreSQL and Redis), so only the server's side is measured (not the test client, not
gunicorn's HTTP parsing). ``BENCH_PROFILE_N`` requests per hot path (booking, parking reservation,
the slots read), three ways:

1. **cost centres, exact**: the functions that enter each centre (JWT decode, the auth hook that
   loads the user and checks the session, request parsing, the service call, commit, after-commit
   delivery, dump, reloads, JSON, logging and metrics, limiter, teardown) are wrapped with timers
   (thread CPU clock and wall clock; a few µs per request), no profiler running. Indented rows are inside the row above.
   Wall minus CPU is waiting: PostgreSQL and Redis round trips (and, on a loaded box, the run queue).
2. **cProfile, cumulative**: the same centres from cProfile's cumulative times (thread CPU clock),
   for the booking; cProfile's per-call overhead inflates every row, call-heavy ones most.
3. **cProfile, by layer**: each function's own CPU time by the package it lives in (SQLAlchemy,
   psycopg, marshmallow, Flask/Werkzeug, …), less the profiler's per-call overhead, scaled so the
   layers add up to the unprofiled CPU total (cProfile gives the shares, the clock gives the sum).

Then a child process repeats the booking with production's request settings (LOG_LEVEL=INFO with
the JSON access log, the rate limiter on with Redis storage) to show what those cost.

    python -m bench costcentres          # BENCH_PROFILE_N=100 by default
"""

from __future__ import annotations

import cProfile
import functools
import inspect
import json
import os
import subprocess
import sys
import time

from bench.server import ROOT

N = int(os.environ.get("BENCH_PROFILE_N", "100"))
KINDS = ("booking", "parking", "read")
# the function each view calls (looked up on the service package at call time): POST /bookings calls
# request_booking (the queue's front door), which books through book_darshan
SERVICE = {"booking": ("app.temples.service", "request_booking"), "parking": ("app.parking.service", "reserve"),
           "read": ("app.temples.service", "slots_for_day")}
# (label, depth): the rows of the cost-centre table, in order; depth-1 rows are inside the row above them.
ROWS = [
    ("request id, context (before_request)", 0),
    ("limiter (before + after request)", 0),
    ("auth: authenticate_user", 0),
    ("JWT decode + verify (PyJWT)", 1),
    ("who + still valid? (auth hook: user, session)", 1),
    ("request parsing: webargs + marshmallow load", 0),
    ("service call (@transactional)", 0),
    ("events.publish (builds the audit row)", 1),
    ("Session.commit (flush + COMMIT)", 1),
    ("after-commit delivery (cache bumps, Socket.IO)", 1),
    ("the rest: queries, UPDATE/INSERT, flush", 1),
    ("marshmallow dump", 0),
    ("reloads after commit, lazy loads", 1),
    ("JSON encode (app.json provider)", 0),
    ("after_request: metrics, access log, headers", 0),
    ("teardown (session remove: ROLLBACK, pool)", 0),
    ("Flask/Werkzeug/flask-smorest dispatch, the rest", 0),
]
TOTAL = "total (Flask.wsgi_app)"


class Timers:
    """Inclusive wall and thread-CPU time of chosen functions; a recursive or nested call counts once.

    ``keys`` holds, per label, the cProfile keys (file, line, name) of the functions wrapped, so the
    cProfile view of a centre is read from exactly the same functions.
    """

    def __init__(self):
        self.acc: dict[str, list[float]] = {TOTAL: [0.0, 0.0]}  # TOTAL: timed by _run around app.wsgi_app
        self.depth: dict[str, int] = {}
        self.keys: dict[str, set] = {}
        self.on = False

    def wrap(self, label: str, fn):
        if getattr(fn, "_bench_timed", None) == label:
            return fn
        self.acc.setdefault(label, [0.0, 0.0])
        self.depth.setdefault(label, 0)
        code = _code(fn)
        if code is not None:
            self.keys.setdefault(label, set()).add((code.co_filename, code.co_firstlineno, code.co_name))

        @functools.wraps(fn)
        def timed(*args, **kwargs):
            if not self.on or self.depth[label]:
                return fn(*args, **kwargs)
            self.depth[label] += 1
            w0, c0 = time.perf_counter(), time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                acc = self.acc[label]
                acc[0] += time.perf_counter() - w0
                acc[1] += time.thread_time() - c0
                self.depth[label] -= 1

        timed._bench_timed = label
        return timed

    def reset(self):
        for acc in self.acc.values():
            acc[0] = acc[1] = 0.0

    def patch(self, owner, name: str, label: str):
        """Wrap ``owner.name`` (or ``owner[name]`` for a dict) where callers look it up at call time."""
        if isinstance(owner, dict):
            owner[name] = self.wrap(label, owner[name])
        else:
            setattr(owner, name, self.wrap(label, getattr(owner, name)))


def _code(fn):
    fn = getattr(fn, "func", fn)  # functools.partial
    fn = getattr(fn, "__func__", fn)  # bound method
    return getattr(inspect.unwrap(fn), "__code__", None)


AUTH_HOOKS = ("token_principal", "token_user", "token_revoked")  # whichever the auth domain provides


@functools.cache
def install(app) -> Timers:
    """Wrap each centre's entry points where they are looked up at call time (module globals, classes)."""
    import flask_jwt_extended.view_decorators as jwt_views
    import marshmallow
    import webargs.core
    from flask import Flask
    from sqlalchemy.orm import Session
    from sqlalchemy.orm.state import InstanceState
    from sqlalchemy.orm.strategies import _LazyLoader as LazyLoader  # SQLAlchemy 2.1 name

    import app.core.events as core_events
    import app.core.security as security
    import app.parking.events as parking_events
    import app.temples.events as temple_events
    from app.core import hooks

    t = Timers()
    for funcs, label_of in ((app.before_request_funcs, _before_label), (app.after_request_funcs, _after_label)):
        for key, chain in funcs.items():
            funcs[key] = [t.wrap(label, f) if (label := label_of(f)) else f for f in chain]
    t.patch(security, "authenticate_user", "auth: authenticate_user")
    t.patch(jwt_views, "decode_token", "JWT decode + verify (PyJWT)")
    for name in AUTH_HOOKS:
        if name in hooks._hooks:
            t.patch(hooks._hooks, name, "who + still valid? (auth hook: user, session)")
    t.patch(webargs.core.Parser, "parse", "request parsing: webargs + marshmallow load")
    for kind, (module, name) in SERVICE.items():
        t.patch(sys.modules[module], name, f"service call (@transactional) [{kind}]")
    for events in (temple_events, parking_events):
        t.patch(events, "publish", "events.publish (builds the audit row)")
    t.patch(Session, "commit", "Session.commit (flush + COMMIT)")
    t.patch(core_events, "dispatch_committed", "after-commit delivery (cache bumps, Socket.IO)")
    t.patch(marshmallow.Schema, "dump", "marshmallow dump")
    t.patch(InstanceState, "_load_expired", "reloads after commit, lazy loads")
    t.patch(LazyLoader, "_emit_lazyload", "reloads after commit, lazy loads")
    t.patch(type(app.json), "response", "JSON encode (app.json provider)")
    t.patch(Flask, "do_teardown_appcontext", "teardown (session remove: ROLLBACK, pool)")
    wsgi = Flask.wsgi_app.__code__
    t.keys[TOTAL] = {(wsgi.co_filename, wsgi.co_firstlineno, wsgi.co_name)}
    return t


def _name(f) -> str:
    return getattr(f, "__name__", "") or getattr(getattr(f, "func", None), "__name__", "")


def _before_label(f) -> str | None:
    name = _name(f)
    return {"_begin_request": "request id, context (before_request)",
            "_check_request_limit": "limiter (before + after request)"}.get(name)


def _after_label(f) -> str | None:
    name = _name(f)
    if name == "_finish_request":
        return "after_request: metrics, access log, headers"
    return "limiter (before + after request)" if "inject_headers" in name else None


def _environs(fx, kind: str, n: int) -> list[dict]:
    from werkzeug.test import EnvironBuilder

    def build(method, path, body=None, headers=None):
        return EnvironBuilder(path=path, method=method, json=body, headers=headers,
                              environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_environ()

    if kind == "booking":
        return [build("POST", "/api/v1/bookings", {"slot_id": fx.slot_id, "party_size": 1}, fx.user)
                for _ in range(n)]
    if kind == "parking":
        return [build("POST", "/api/v1/parking/reservations", {"lot_id": fx.lot_ids[0], "vehicle_number": "GJ11AB0001"},
                      fx.user) for _ in range(n)]
    return [build("GET", f"/api/v1/temples/{fx.temple}/slots") for _ in range(n)]


def _run(fx, kind: str, n: int, *, profiler: cProfile.Profile | None = None, timers: Timers | None = None):
    """n requests; the profiler/timers are on only while the server handles them. (wall, cpu) seconds."""
    environs = _environs(fx, kind, n)
    wall = cpu = 0.0
    for environ in environs:
        status = []
        t0, c0 = time.perf_counter(), time.thread_time()
        if timers:
            timers.on = True
        if profiler:
            profiler.enable()
        body = fx.app.wsgi_app(environ, lambda s, _h, _e=None, _status=status: _status.append(s))
        data = b"".join(body)
        getattr(body, "close", lambda: None)()
        if profiler:
            profiler.disable()
        if timers:
            timers.on = False
        wall += (w := time.perf_counter() - t0)
        cpu += (c := time.thread_time() - c0)
        if timers:
            timers.acc[TOTAL][0] += w
            timers.acc[TOTAL][1] += c
        assert status[0][:3] in ("200", "201"), (status, data[:300])
        if kind == "parking":  # release it (not measured) so the next reserve is allowed
            rid = json.loads(data)["id"]
            fx.client.post(f"/api/v1/parking/reservations/{rid}/release", headers=fx.user)
    return wall, cpu


def _centres(timers: Timers, kind: str, n: int) -> dict:
    acc = {k.replace(f" [{kind}]", ""): v for k, v in timers.acc.items() if not k.endswith("]") or f"[{kind}]" in k}
    ms = {label: {"wall": v[0] * 1000 / n, "cpu": v[1] * 1000 / n} for label, v in acc.items()}
    zero = {"wall": 0.0, "cpu": 0.0}
    out = {label: dict(ms.get(label, zero)) for label, _ in ROWS}
    service = out["service call (@transactional)"]
    inside = ("events.publish (builds the audit row)", "Session.commit (flush + COMMIT)",
              "after-commit delivery (cache bumps, Socket.IO)")
    for clock in ("wall", "cpu"):
        out["the rest: queries, UPDATE/INSERT, flush"][clock] = service[clock] - sum(out[k][clock] for k in inside)
        top = sum(out[label][clock] for label, depth in ROWS[:-1] if depth == 0)
        out[ROWS[-1][0]][clock] = ms[TOTAL][clock] - top
    out[TOTAL] = ms[TOTAL]
    return out


# cProfile's view: the centres by cumulative time of the same functions (Timers.keys), layers by own time.
LAYERS = [  # first match wins: (label, fragments of the file path or of a builtin's name)
    ("psycopg (driver, C and Python)", ("psycopg",)),
    ("redis client, sockets (cache bumps, Socket.IO)", ("redis/", "_socket", "socket.py", "selectors.py")),
    ("SQLAlchemy Core + ORM, Flask-SQLAlchemy", ("sqlalchemy",)),
    ("marshmallow, webargs, flask-smorest", ("marshmallow/", "webargs/", "flask_smorest/")),
    ("JWT (PyJWT, flask-jwt-extended, hmac)", ("jwt/", "flask_jwt_extended/", "hmac", "_hashlib")),
    ("JSON (orjson, json)", ("orjson", "json/", "_json")),
    ("logging", ("logging/",)),
    ("prometheus_client", ("prometheus_client/",)),
    ("Flask-Limiter, limits", ("flask_limiter/", "limits/")),
    ("Flask-Caching, cachelib", ("flask_caching/", "cachelib/")),
    ("Socket.IO, kombu, celery", ("socketio/", "engineio/", "kombu/", "celery/")),
    ("Flask, Werkzeug, blinker, flask-cors", ("flask/", "werkzeug/", "blinker/", "flask_cors/", "itsdangerous/")),
    ("Sangam's own code (app/)", (f"{ROOT}/app/",)),
]
OTHER_LAYER = "other: stdlib, builtins"


def _layer_of(filename: str, name: str) -> str:
    text = filename if filename != "~" else name
    return next((label for label, fragments in LAYERS if any(f in text for f in fragments)), OTHER_LAYER)


def _profiled(fx, kind: str, n: int, real_cpu_ms: float, timers: Timers) -> dict:
    profiler = cProfile.Profile(time.thread_time)
    _run(fx, kind, n, profiler=profiler)
    profiler.create_stats()
    stats = profiler.stats
    per = 1000 / n
    cum = {label.replace(f" [{kind}]", ""): sum(stats[k][3] for k in keys if k in stats) * per
           for label, keys in timers.keys.items() if not label.endswith("]") or f"[{kind}]" in label}
    calls = sum(nc for (_cc, nc, _tt, _ct, _c) in stats.values()) / n
    total = cum[TOTAL]
    overhead = max(0.0, (total - real_cpu_ms) / calls) if calls else 0.0  # ms of profiler per call
    layers: dict[str, float] = {}
    for (fname, _line, fn), (_cc, nc, tt, _ct, _callers) in stats.items():
        label = _layer_of(fname, fn)
        layers[label] = layers.get(label, 0.0) + max(0.0, tt * per - nc / n * overhead)
    # the per-call overhead lands partly on callers, so the clamped remainders overshoot: scale them to
    # the unprofiled CPU total (the shares are cProfile's, the sum is the real one)
    scale = real_cpu_ms / sum(layers.values()) if layers else 1.0
    layers = {label: value * scale for label, value in layers.items()}
    return {"cumulative": cum, "layers": layers, "calls_per_request": round(calls),
            "overhead_us_per_call": round(overhead * 1000, 3)}


def measure(kind: str, fx, timers: Timers, n: int) -> dict:
    _run(fx, kind, 20)  # warm up
    real_wall, real_cpu = _run(fx, kind, n)
    timers.reset()
    _run(fx, kind, n, timers=timers)
    centres = _centres(timers, kind, n)
    return {"n": n, "real_wall_ms": real_wall * 1000 / n, "real_cpu_ms": real_cpu * 1000 / n, "centres": centres,
            "profile": _profiled(fx, kind, n, real_cpu * 1000 / n, timers)}


def _read_whatifs(fx, n: int) -> dict:
    """The slots read's CPU per request if its data, or its response bytes, came from memory.

    Monkeypatched in this process only (nothing under app/ changes): (a) without the response cache
    (``@cached_response``'s ``uncached`` view: @cached_read data, webargs, dump, JSON per request);
    (b) the response cache with the namespace version remembered 1 s per process instead of one Redis
    GET per request; (c) the service returns plain data for SlotSchema (what a perfect @cached_read
    would hand back), the view still dumps and encodes it; (d) the view returns stored bytes. All must
    answer the same bytes as today.
    """
    from datetime import datetime

    from flask import Response

    import app.core.cache as core_cache
    import app.temples.service as temples_service

    path = f"/api/v1/temples/{fx.temple}/slots"
    today = fx.client.get(path).data
    slots = [{**s, "temple": {"slug": s["temple"]}, "shown_status": s["status"],
              "starts_at": datetime.fromisoformat(s["starts_at"]), "ends_at": datetime.fromisoformat(s["ends_at"])}
             for s in json.loads(today)]
    endpoint = next(r.endpoint for r in fx.app.url_map.iter_rules()
                    if r.rule == "/api/v1/temples/<slug>/slots" and "GET" in r.methods)
    out = {}
    view = fx.app.view_functions[endpoint]
    uncached = getattr(view, "uncached", view)
    fx.app.view_functions[endpoint] = uncached
    try:
        assert fx.client.get(path).data == today, "the uncached view does not answer the same bytes"
        _run(fx, "read", 20)
        out["no response cache (@cached_read data; parse, dump, JSON per request)"] = (
            _run(fx, "read", n)[1] * 1000 / n)
    finally:
        fx.app.view_functions[endpoint] = view
    core_cache.VERSION_MEMO_SECONDS = 1.0
    try:
        assert fx.client.get(path).data == today
        _run(fx, "read", 20)
        out["response cache, version remembered 1 s in process (no Redis GET)"] = _run(fx, "read", n)[1] * 1000 / n
    finally:
        core_cache.VERSION_MEMO_SECONDS = 0.0
    real = temples_service.slots_for_day
    temples_service.slots_for_day = lambda **_kw: slots
    fx.app.view_functions[endpoint] = uncached
    try:
        assert fx.client.get(path).data == today, "the data-cached what-if does not answer the same bytes"
        _run(fx, "read", 20)
        out["data cached (service returns plain data; dump + JSON per request)"] = _run(fx, "read", n)[1] * 1000 / n
    finally:
        temples_service.slots_for_day = real
        fx.app.view_functions[endpoint] = view
    from app.extensions import cache

    with fx.app.app_context():
        cache.set("bench:whatif:version", 1, timeout=600)
        cache.set("bench:whatif:v1", today, timeout=600)

    def from_redis(**_kw):  # what @cached_read does: the namespace's version, then the value
        version = cache.get("bench:whatif:version")
        return Response(cache.get(f"bench:whatif:v{version}"), mimetype="application/json")

    views = {"response bytes in Redis, read like @cached_read (2 GETs)": from_redis,
             "response bytes in this process (the view returns stored bytes)":
                 lambda **_kw: Response(today, mimetype="application/json")}
    try:
        for label, stand_in in views.items():
            fx.app.view_functions[endpoint] = stand_in
            assert fx.client.get(path).data == today
            _run(fx, "read", 20)
            out[label] = _run(fx, "read", n)[1] * 1000 / n
    finally:
        fx.app.view_functions[endpoint] = view
    return out


def _production_booking() -> dict | None:
    """The booking again in a child process with production's request settings (logs and limiter on)."""
    env = {**os.environ, "LOG_LEVEL": "INFO", "LOG_REQUESTS": "1", "RATELIMIT_ENABLED": "1",
           "RATELIMIT_DEFAULT": "1000000 per minute"}
    done = subprocess.run([sys.executable, "-m", "bench.costcentres", "--child"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    for line in done.stdout.splitlines():
        if line.startswith("BENCHJSON "):
            return json.loads(line[len("BENCHJSON "):])
    print(f"   (production-settings child failed: {done.stderr[-1500:]})")
    return None


def _print(figures: dict, prod: dict | None) -> None:
    heads = "".join(f"{k + ' CPU':>12}{k[:4] + ' wall':>10}" for k in KINDS)
    heads += f"{'book prof':>10}" + (f"{'book prod':>10}" if prod else "")
    print(f"\n   {'cost centre, ms per request':50}{heads}")

    def line(label, depth, cells):
        print(f"   {'  ' * depth + label:50}" + "".join(cells))

    booking_cum = figures["booking"]["profile"]["cumulative"]
    for label, depth in ROWS + [(TOTAL, 0)]:
        cells = []
        for kind in KINDS:
            c = figures[kind]["centres"][label]
            cells += [f"{c['cpu']:>12.2f}", f"{c['wall']:>10.2f}"]
        cells.append(f"{booking_cum[label]:>10.2f}" if label in booking_cum else f"{'':>10}")
        if prod:
            cells.append(f"{prod['centres'][label]['cpu']:>10.2f}")
        line(label, depth, cells)
    cells = []
    for kind in KINDS:
        cells += [f"{figures[kind]['real_cpu_ms']:>12.2f}", f"{figures[kind]['real_wall_ms']:>10.2f}"]
    line("same requests, no timers, no profiler", 0, cells + [f"{'':>10}"] +
         ([f"{prod['real_cpu_ms']:>10.2f}"] if prod else []))
    print(f"\n   {'layer (cProfile own CPU, scaled to the real total)':50}" +
          "".join(f"{k + ' CPU':>12}" for k in KINDS) + (f"{'book prod':>12}" if prod else ""))
    booking_layers = figures["booking"]["profile"]["layers"]
    for layer in sorted(booking_layers, key=lambda k: -booking_layers[k]):
        cells = [f"{figures[k]['profile']['layers'].get(layer, 0.0):>12.2f}" for k in KINDS]
        if prod:
            cells.append(f"{prod['profile']['layers'].get(layer, 0.0):>12.2f}")
        line(layer, 0, cells)
    line("function calls per request (cProfile)", 0,
         [f"{figures[k]['profile']['calls_per_request']:>12}" for k in KINDS] +
         ([f"{prod['profile']['calls_per_request']:>12}"] if prod else []))


def main() -> dict:
    from bench.inproc import fixture

    fx = fixture()
    timers = install(fx.app)
    load = os.getloadavg()
    figures = {kind: measure(kind, fx, timers, N) for kind in KINDS}
    whatifs = _read_whatifs(fx, N)
    prod = _production_booking()
    print(f"\n== ms per request by cost centre (in process, {N} warm requests per path; load {load[0]:.2f} -> "
          f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} cores)")
    print("   booking = POST /api/v1/bookings, parking = POST /api/v1/parking/reservations, read = GET "
          f"/api/v1/temples/{fx.temple}/slots. CPU/wall: timers on each centre's entry points (exact; wall - CPU "
          "= waiting for PostgreSQL/Redis and for a core). book prof: cProfile cumulative CPU (inflated by "
          f"~{figures['booking']['profile']['overhead_us_per_call']} µs per call). book prod: booking with "
          "LOG_LEVEL=INFO (JSON access log) and the limiter on (Redis), as production runs.")
    _print(figures, prod)
    print("\n   what if the slots read came from memory (CPU ms per request, in process; monkeypatched here, "
          "not in app/):")
    print(f"   {'as served (the response cache, version: one Redis GET)':72}{figures['read']['real_cpu_ms']:>8.2f}")
    for label, value in whatifs.items():
        print(f"   {label:72}{value:>8.2f}")
    print("   (the ceiling's figure over HTTP, in side_by_side, includes gunicorn's own share of each request)")
    return {"figures": figures, "production_booking": prod, "read_whatifs": whatifs}


def _child() -> None:
    from bench.inproc import fixture

    fx = fixture(fresh=False)
    print("BENCHJSON " + json.dumps(measure("booking", fx, install(fx.app), N)))


if __name__ == "__main__":
    if "--child" in sys.argv:
        _child()
    else:
        main()
