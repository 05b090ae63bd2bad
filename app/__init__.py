"""Sangam: one Flask backend for a temple town's operations."""

from __future__ import annotations

from importlib import import_module

from flask import Flask
from flask_cors import CORS
from werkzeug.middleware.proxy_fix import ProxyFix

from config import build_config

# Every module here exposes ``blp`` (flask-smorest Blueprint); the console is a plain Blueprint.
API_BLUEPRINTS = (
    "app.core.health",
    "app.auth.api",
    "app.alerts.api",
    "app.audit.api",
    "app.reports.api",
    "app.temples.api",
    "app.parking.api",
)
# Domain packages whose ``register(app)`` wires their event subscribers, socket snapshots,
# export datasets and cache namespaces.
DOMAINS = ("app.realtime", "app.alerts", "app.reports", "app.temples", "app.parking")
TASK_MODULES = ("tasks.housekeeping", "tasks.notifications", "tasks.exports", "tasks.temples", "tasks.parking")


def create_app(config: dict | None = None) -> Flask:
    """Build the Sangam app from the environment plus ``config`` overrides."""
    from app.core.jsonio import SangamJSONProvider

    app = Flask(__name__, instance_relative_config=False)
    app.json = SangamJSONProvider(app)
    app.config.update(build_config(config))
    _init_extensions(app)
    _register_blueprints(app)
    _register_subscribers(app)
    _register_commands(app)
    return app


def _init_extensions(app: Flask) -> None:
    from app.auth.tokens import init_auth
    from app.core.docs import init_docs, tidy_spec
    from app.core.errors import register_error_handlers
    from app.core.observability import init_observability
    from app.core.schemas import ErrorSchema
    from app.extensions import api, cache, init_celery, init_database, init_socketio, limiter

    if app.config["TRUSTED_PROXIES"]:
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    init_observability(app)
    init_database(app)
    init_auth(app)
    limiter.init_app(app)
    cache.init_app(app)
    init_docs(app)
    api.ERROR_SCHEMA = ErrorSchema
    api.init_app(app, spec_kwargs={"info": {"description": "Operations platform for a temple town."}})
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    api.spec.components.security_scheme("deviceKey", {"type": "apiKey", "in": "header", "name": "X-Device-Key"})
    tidy_spec(api)
    CORS(app, origins=app.config["CORS_ORIGINS"], supports_credentials=False,
         expose_headers=["X-Request-ID", "X-Pagination", "Retry-After"])
    init_socketio(app)
    init_celery(app)
    register_error_handlers(app)


def _register_blueprints(app: Flask) -> None:
    from app.console.views import bp as console_bp
    from app.console.views import root_redirect
    from app.core.docs import tidy_schemas
    from app.extensions import api

    for name in API_BLUEPRINTS:
        api.register_blueprint(import_module(name).blp)
    tidy_schemas(api)
    app.register_blueprint(console_bp)
    app.add_url_rule("/", "root", root_redirect)


def _register_subscribers(app: Flask) -> None:
    from app.core.audit import init_audit
    from app.core.cache import init_cache_invalidation
    from app.core.notify import init_notify

    init_audit()
    init_cache_invalidation()
    init_notify()
    for name in DOMAINS:
        import_module(name).register(app)
    for name in TASK_MODULES:
        import_module(name)


def _register_commands(app: Flask) -> None:
    from app.cli import register_commands

    register_commands(app)
