"""Test harness: the app in the environment's mode, schema from migrations, one transaction per test.

Without DATABASE_URL the suite runs in the embedded mode on a temporary SQLite file; with it
(CI) on PostgreSQL, whose ``public`` schema is rebuilt from the migrations once per run.
Each test runs inside a transaction that is rolled back (DESIGN.md §7): the session is bound to
one connection through ``db.engines`` and joins it with savepoints. Tests that need several
connections (concurrency) use ``committed_db`` instead and clean up after themselves.
"""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask_migrate import upgrade
from freezegun import freeze_time
from sqlalchemy import text

TMP = Path(tempfile.mkdtemp(prefix="sangam-tests-"))
os.environ.setdefault("SANGAM_INSTANCE_DIR", str(TMP / "instance"))


def _own_services_per_worker() -> None:
    """Under pytest-xdist each worker gets its own PostgreSQL database and Redis database number."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")  # gw0, gw1, …
    if not worker:
        return
    number = int(worker[2:])
    if os.environ.get("DATABASE_URL"):
        import psycopg

        server, name = os.environ["DATABASE_URL"].rsplit("/", 1)
        own = f"{name}_{worker}"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (own,)).fetchone():
                conn.execute(f"CREATE DATABASE {own}")
        os.environ["DATABASE_URL"] = f"{server}/{own}"
    if os.environ.get("REDIS_URL"):
        base = os.environ["REDIS_URL"].rsplit("/", 1)[0]
        os.environ["REDIS_URL"] = f"{base}/{10 + number}"
        os.environ["SOCKETIO_CHANNEL"] = f"sangam-socketio-test-{worker}"  # pub/sub ignores db numbers


_own_services_per_worker()

from app import create_app  # noqa: E402

pytest_plugins = ("tests.browser",)  # the served demo and Chromium (tests/browser.py)
from app.extensions import cache, db, limiter  # noqa: E402

POSTGRES = bool(os.environ.get("DATABASE_URL"))
REDIS = bool(os.environ.get("REDIS_URL"))

TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-for-sangam-tests-only",
    "JWT_SECRET_KEY": "test-jwt-secret-key-for-sangam-tests-only",
    "PASSWORD_HASH_TIME_COST": 1,
    "PASSWORD_HASH_MEMORY_KIB": 8,
    "LOG_JSON": True,
    "CORS_ORIGINS": ["https://console.sangam.example"],
    "EXPORT_DIR": str(TMP / "exports"),
    "MAX_CONTENT_LENGTH": 256 * 1024,
    # Flask-SocketIO's test client cannot use a message queue; the Redis queue is proven by
    # tests/platform/test_socket_integration.py against a served app and a real worker.
    "SOCKETIO_MESSAGE_QUEUE": None,
    # Tasks run inline in tests; tests/platform/test_worker.py runs a real worker against Redis.
    "CELERY": {"task_always_eager": True, "task_eager_propagates": False,
               "broker_url": os.environ.get("REDIS_URL") or "memory://", "result_backend": None},
}
if not POSTGRES:
    TEST_CONFIG["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{TMP / 'test.db'}"

from tests.factories import PASSWORD  # noqa: E402

# The one test clock: 00:00 UTC is 05:30 in Asia/Kolkata, before the day's first darshan. SANGAM_TEST_CLOCK moves it
# for a robustness run. Domains opt in with `pytestmark = pytest.mark.usefixtures("clock")`.
START = datetime.fromisoformat(os.environ.get("SANGAM_TEST_CLOCK", "2026-03-09T00:00:00+00:00")).astimezone(UTC)


@pytest.fixture
def clock():
    """Freeze time at START; it ticks (durations still pass), and a test moves it with ``clock.move_to(...)``."""
    with freeze_time(START, tick=True) as frozen:
        yield frozen


def _reset_schema(app) -> None:
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade()
        db.engine.dispose()


def _boom():
    raise RuntimeError("boom: an unexpected failure with secret details")


def _duplicate_email():
    from app.auth.models import User

    for _ in range(2):
        db.session.add(User(email="same@test.in", password_hash="x", full_name="Same", role="user"))
        db.session.flush()


@pytest.fixture(scope="session")
def app():
    """The Sangam app for the whole run, its schema built by the Alembic migrations."""
    application = create_app(TEST_CONFIG)
    application.add_url_rule("/__test__/boom", "boom", _boom)
    application.add_url_rule("/__test__/integrity", "integrity", _duplicate_email, methods=["POST"])
    _reset_schema(application)
    return application


@pytest.fixture(autouse=True)
def db_session(request, app, monkeypatch):
    """Run the test inside a transaction that is rolled back afterwards."""
    ctx = app.app_context()
    ctx.push()
    limiter.reset()
    try:
        cache.clear()
    except Exception:
        pass
    if "committed_db" in request.fixturenames:
        yield db.session
        db.session.remove()
        ctx.pop()
        return
    engines = db.engines
    engine = engines[None]
    conn = engine.connect()
    trans = conn.begin()
    monkeypatch.setitem(engines, None, conn)
    db.session.remove()
    db.session.configure(join_transaction_mode="create_savepoint")
    try:
        yield db.session
    finally:
        db.session.remove()
        db.session.configure(join_transaction_mode="conditional_savepoint")
        if trans.is_active:
            trans.rollback()
        conn.close()
        ctx.pop()


@pytest.fixture
def committed_db(app):
    """Real commits on real connections (concurrency tests); every table is emptied afterwards."""
    yield db
    db.session.remove()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(app):
    """Create a user of a role (through the auth service) and return it."""
    from app.auth import service

    counter = {"n": 0}

    def _make(role: str = "user", email: str | None = None, password: str = PASSWORD, **extra):
        counter["n"] += 1
        email = email or f"{role}{counter['n']}@test.sangam.in"
        return service.register_user(email=email, password=password, full_name=f"Test {role}", role=role, **extra)

    return _make


def bearer(user) -> dict:
    """Authorization header with a fresh access token for ``user``."""
    from app.auth import service

    return {"Authorization": f"Bearer {service.issue_tokens(user)['access_token']}"}


@pytest.fixture
def auth_headers(make_user):
    """auth_headers("operator") -> headers of a new user with that role."""

    def _headers(role: str = "user", **kwargs) -> dict:
        return bearer(make_user(role, **kwargs))

    return _headers


@pytest.fixture
def device_key(app):
    """device_key("counter") -> the raw key of a new device of that kind."""
    from app.auth import service

    def _make(kind: str = "sensor", name: str | None = None) -> str:
        _device, key = service.create_device(name=name or f"test {kind}", kind=kind)
        return key

    return _make


@pytest.fixture
def captured_events():
    """Collect events delivered after commit."""
    from app.core.events import subscribe, unsubscribe

    seen = []

    def collect(evt):
        seen.append(evt)

    subscribe(collect, phase="after_commit")
    yield seen
    unsubscribe(collect)


def assert_error(response, status: int, error: str | None = None) -> dict:
    """Check the one error shape; return the body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json, response.get_data(as_text=True)
    body = response.get_json()
    assert body["code"] == status
    assert isinstance(body["status"], str) and body["status"]
    assert isinstance(body["message"], str) and body["message"]
    if error:
        assert body["error"] == error, body
    return body


needs_postgres = pytest.mark.skipif(not POSTGRES, reason="needs PostgreSQL (set DATABASE_URL)")
needs_redis = pytest.mark.skipif(not REDIS, reason="needs Redis (set REDIS_URL)")
