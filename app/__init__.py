"""Sangam: one Flask backend for a temple town's operations."""

from __future__ import annotations

from flask import Flask
from flask_cors import CORS
from werkzeug.middleware.proxy_fix import ProxyFix

from config import build_config

# Platform task modules (each domain names its own in its Domain declaration).
PLATFORM_TASKS = ("tasks.housekeeping", "tasks.notifications", "tasks.exports")


def create_app(config: dict | None = None) -> Flask:
    """Build the Sangam app from the environment plus ``config`` overrides."""
    from app.core.codes import CodeConverter
    from app.core.domain import discover
    from app.core.jsonio import SangamJSONProvider
    from app.core.parsing import Int32Converter

    app = Flask(__name__, instance_relative_config=False)
    app.url_map.converters["code"] = CodeConverter
    app.url_map.converters["int"] = Int32Converter
    app.json = SangamJSONProvider(app)
    app.config.update(build_config(config))
    domains = discover()
    _init_extensions(app)
    _register_domains(app, domains)
    _register_platform(app)
    return app


def _init_extensions(app: Flask) -> None:
    from app.core.docs import init_docs, tidy_spec
    from app.core.errors import register_error_handlers
    from app.core.observability import init_observability
    from app.core.schemas import ErrorSchema
    from app.extensions import api, cache, init_auth, init_celery, init_database, init_socketio, limiter

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
    from app.core.codes import CodeConverter
    from app.core.parsing import Int32Converter, int32_parameter

    api.register_converter(CodeConverter, lambda _c: {"type": "string", "pattern": f"^{CodeConverter.regex}$"})
    api.register_converter(Int32Converter, int32_parameter)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    api.spec.components.security_scheme("deviceKey", {"type": "apiKey", "in": "header", "name": "X-Device-Key"})
    tidy_spec(api)
    CORS(app, origins=app.config["CORS_ORIGINS"], supports_credentials=False,
         expose_headers=["X-Request-ID", "X-Pagination", "Retry-After"])
    init_socketio(app)
    init_celery(app)
    register_error_handlers(app)


def _register_domains(app: Flask, domains: dict) -> None:
    """Wire every discovered domain from its declaration: blueprints, tasks, registries, hooks, sockets."""
    from importlib import import_module

    from app.core import hooks
    from app.core.cache import add_invalidation
    from app.core.datasets import register_dataset
    from app.core.events import subscribe
    from app.core.metrics import register_metrics
    from app.extensions import api

    for domain in domains.values():
        for name, ref in domain.hooks.items():
            hooks.provide(name, domain.resolve(ref))
        if domain.api:
            module = domain.module(domain.api)
            for blueprint in getattr(module, "blueprints", None) or [module.blp]:
                api.register_blueprint(blueprint)
        if domain.tasks:
            import_module(domain.tasks)
        if domain.sockets:
            domain.module(domain.sockets)
        if domain.commands:
            app.cli.add_command(domain.resolve(domain.commands))
        for dataset in domain.resolve(domain.datasets) if domain.datasets else ():
            register_dataset(dataset)
        if domain.kpis:
            register_metrics(*domain.resolve(domain.kpis))
            add_invalidation("reports.kpis", domain.prefix)
            add_invalidation("reports.trends", domain.prefix)
        for prefix, ref in domain.subscribes.items():
            subscribe(domain.resolve(ref), phase="after_commit", prefix=prefix)


def _register_platform(app: Flask) -> None:
    from importlib import import_module

    from app.cli import register_commands
    from app.console.views import init_console
    from app.core.audit import init_audit
    from app.core.cache import init_cache_invalidation
    from app.core.docs import tidy_schemas
    from app.core.health import blp as health_blp
    from app.core.jobs import init_jobs
    from app.extensions import api
    from app.realtime import init_realtime

    api.register_blueprint(health_blp)
    tidy_schemas(api)
    init_console(app)
    init_audit()
    init_cache_invalidation()
    init_jobs()
    init_realtime()
    for name in PLATFORM_TASKS:
        import_module(name)
    register_commands(app)
