"""GET /health: the database, Redis and the broker, each ok / absent / down."""

from __future__ import annotations

from flask import current_app
from marshmallow import Schema, fields
from sqlalchemy import text

from app.core.parsing import Blueprint
from app.extensions import db

blp = Blueprint("health", __name__, description="Service health")


class HealthSchema(Schema):
    status = fields.String(metadata={"description": "ok, degraded (Redis or broker down) or down"})
    services = fields.Dict(keys=fields.String(), values=fields.String())


def database_status() -> str:
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
        return "ok"
    except Exception:
        db.session.rollback()
        return "down"


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


def check_health() -> tuple[dict, int]:
    """Return the health document and its HTTP status (503 when the database is down)."""
    services = {"database": database_status(), "redis": redis_status(), "broker": broker_status()}
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
