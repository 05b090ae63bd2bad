"""Request ids, JSON logs, Prometheus metrics and security headers."""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid

from flask import Flask, Response, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest

from app.core import context

access_log = logging.getLogger("sangam.access")

REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

REQUESTS = Counter("sangam_http_requests_total", "HTTP requests", ["method", "endpoint", "status"])
LATENCY = Histogram(
    "sangam_http_request_duration_seconds", "HTTP request latency", ["method", "endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "geolocation=(self), camera=(), microphone=()",
}


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the request id when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or context.current_request_info().request_id,
        }
        for key in ("event", "path", "method", "status", "duration_ms"):
            if hasattr(record, key):
                data[key] = getattr(record, key)
        if record.exc_info:
            data["exc"] = self.formatException(record.exc_info)
        return json.dumps(data, default=str)


def configure_logging(app: Flask) -> None:
    """Send Sangam's logs to stderr, as JSON lines unless LOG_JSON is off."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if app.config["LOG_JSON"] else logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger("sangam")
    root.handlers[:] = [handler]
    root.setLevel(app.config["LOG_LEVEL"])
    root.propagate = False


def _begin_request() -> None:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
    g.started = time.perf_counter()
    context.reset()
    context.set_actor(context.ANONYMOUS)
    context.set_request_info(context.RequestInfo(g.request_id, request.remote_addr))


def _finish_request(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = g.get("request_id", "")
    for key, value in SECURITY_HEADERS.items():
        response.headers.setdefault(key, value)
    endpoint = request.url_rule.rule if request.url_rule else "unmatched"
    elapsed = time.perf_counter() - g.get("started", time.perf_counter())
    REQUESTS.labels(request.method, endpoint, response.status_code).inc()
    LATENCY.labels(request.method, endpoint).observe(elapsed)
    if current_app.config["LOG_REQUESTS"]:
        access_log.info("%s %s %s", request.method, request.path, response.status_code, extra={
            "event": "request", "method": request.method, "path": request.path, "status": response.status_code,
            "duration_ms": round(elapsed * 1000, 2)})
    return response


def metrics_view() -> Response:
    """Prometheus text exposition of request counts and latencies."""
    return Response(generate_latest(), mimetype=CONTENT_TYPE_LATEST)


def init_observability(app: Flask) -> None:
    """Install logging, request-id and metrics hooks and the /metrics endpoint."""
    configure_logging(app)
    app.before_request(_begin_request)
    app.after_request(_finish_request)
    app.teardown_request(lambda exc: context.reset())
    app.add_url_rule("/metrics", "metrics", metrics_view)
