"""GET /health: the database, Redis and the broker, each ok / absent / down — within two seconds.

The three checks run at once, each in its own thread with its own connection; one that has not
answered by the deadline counts as ``down``, so a hung (not just dead) service never holds health.
"""

from __future__ import annotations

import threading
import time

from flask import current_app
from marshmallow import Schema, fields
from sqlalchemy import text

from app.core.parsing import Blueprint
from app.extensions import db

blp = Blueprint("health", __name__, description="Service health")


class HealthSchema(Schema):
    status = fields.String(metadata={"description": "ok, degraded (Redis or broker down) or down"})
    services = fields.Dict(keys=fields.String(), values=fields.String())


DEADLINE_SECONDS = 1.5


def database_status() -> str:
    try:
        db.session.execute(text("SELECT 1"))
        return "ok"
    except Exception:
        return "down"
    finally:
        db.session.remove()  # this thread's own session


def redis_status() -> str:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return "absent"
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5).ping()
        return "ok"
    except Exception:
        return "down"


def broker_status() -> str:
    celery = current_app.extensions["celery"]
    if celery.conf.task_always_eager:
        return "absent"
    try:
        with celery.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=0.5)
        return "ok"
    except Exception:
        return "down"


def _run_checks() -> dict[str, str]:
    """Run every check concurrently; a check still running at the deadline is ``down``."""
    app = current_app._get_current_object()
    checks = {"database": database_status, "redis": redis_status, "broker": broker_status}
    results: dict[str, str] = {}

    def run(name, check):
        with app.app_context():
            results[name] = check()

    threads = [threading.Thread(target=run, args=item, daemon=True) for item in checks.items()]
    deadline = time.monotonic() + DEADLINE_SECONDS
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    return {name: results.get(name, "down") for name in checks}


def check_health() -> tuple[dict, int]:
    """Return the health document and its HTTP status (503 when the database is down)."""
    services = _run_checks()
    if services["database"] == "down":
        return {"status": "down", "services": services}, 503
    degraded = "down" in services.values()
    return {"status": "degraded" if degraded else "ok", "services": services}, 200


@blp.route("/health")
@blp.response(200, HealthSchema)
@blp.alt_response(503, schema=HealthSchema, description="The database is down")
def health():
    """Report the health of Sangam's services (public)."""
    return check_health()
