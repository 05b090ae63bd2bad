"""Extension singletons, initialised by create_app.

The only other place (with config.py) allowed to know about the two modes.
"""

from __future__ import annotations

from celery import Celery, Task
from flask import Flask, has_app_context
from flask_caching import Cache
from flask_jwt_extended import JWTManager
from flask_limiter import Limiter
from flask_migrate import Migrate
from flask_smorest import Api
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def client_address() -> str:
    """Rate-limit key: the client's address (ProxyFix has already applied X-Forwarded-For)."""
    from flask import request

    return request.remote_addr or "unknown"


# Objects stay loaded after commit: a use case's response is dumped from what it just wrote, without
# reloading every row (objects are request-scoped; a later request loads afresh).
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
jwt = JWTManager()
limiter = Limiter(client_address, headers_enabled=True, swallow_errors=True,
                  in_memory_fallback_enabled=True, key_prefix="sangam:limits")
cache = Cache()
api = Api()
socketio = SocketIO()


class FlaskTask(Task):
    """Run every task inside the Flask app context of the app that configured Celery."""

    def __call__(self, *args, **kwargs):
        if has_app_context():
            return self.run(*args, **kwargs)
        with self.app.flask_app.app_context():
            return self.run(*args, **kwargs)


celery = Celery("sangam", task_cls=FlaskTask)


def init_database(app: Flask) -> None:
    """Initialise SQLAlchemy; make SQLite transactional (real BEGIN, savepoints, WAL)."""
    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            engine = db.engine

            @event.listens_for(engine, "connect")
            def _sqlite_connect(dbapi_conn, _record):
                dbapi_conn.isolation_level = None
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA busy_timeout=5000")
                cur.execute("PRAGMA foreign_keys=ON")
                cur.close()

            @event.listens_for(engine, "begin")
            def _sqlite_begin(conn):
                # IMMEDIATE: take the write lock up front, so two writers queue (busy_timeout)
                # instead of deadlocking on a read-to-write lock upgrade.
                conn.exec_driver_sql("BEGIN IMMEDIATE")


def init_auth(app: Flask) -> None:
    """Configure JWT handling (the auth domain provides who a token names through core hooks)."""
    from app.core.tokens import init_jwt

    init_jwt(app)


def init_socketio(app: Flask) -> None:
    """Socket.IO in threading mode; a Redis message queue when configured (multi-process)."""
    socketio.init_app(
        app,
        async_mode="threading",
        message_queue=app.config.get("SOCKETIO_MESSAGE_QUEUE"),
        channel=app.config.get("SOCKETIO_CHANNEL", "sangam-socketio"),
        cors_allowed_origins=app.config["CORS_ORIGINS"] or [],
        logger=False,
        engineio_logger=False,
    )


def init_celery(app: Flask) -> Celery:
    """Bind the Celery app to Flask: every task runs inside this app's context."""
    celery.flask_app = app
    celery.conf.update(
        timezone=app.config["CITY_TIMEZONE"],
        enable_utc=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue="default",
        task_routes={"tasks.notifications.*": {"queue": "notifications"}, "tasks.exports.*": {"queue": "exports"}},
        broker_connection_retry_on_startup=True,
    )
    celery.conf.update(app.config["CELERY"])
    celery.set_default()
    app.extensions["celery"] = celery
    return celery
