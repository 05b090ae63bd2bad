"""The two modes are chosen by the environment alone; production refuses weak secrets."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import config

ROOT = Path(__file__).resolve().parents[2]


def test_embedded_by_default(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    cfg = config.build_config()
    assert cfg["SANGAM_MODE"] == "embedded"
    assert cfg["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert cfg["CELERY"]["task_always_eager"] is True
    assert cfg["CACHE_TYPE"] == "SimpleCache" and cfg["RATELIMIT_STORAGE_URI"] == "memory://"
    assert len(cfg["SECRET_KEY"]) > 30
    assert config.build_config()["SECRET_KEY"] == cfg["SECRET_KEY"]  # kept across restarts


@pytest.mark.parametrize("missing", ["SECRET_KEY", "JWT_SECRET_KEY"])
def test_production_refuses_default_secret_naming_it(monkeypatch, missing):
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    monkeypatch.setenv("SECRET_KEY", "a-strong-secret-for-production-1")
    monkeypatch.setenv("JWT_SECRET_KEY", "a-strong-secret-for-production-2")
    monkeypatch.setenv(missing, "change-me")
    with pytest.raises(config.ConfigError, match=missing):
        config.build_config()
    monkeypatch.delenv(missing)
    with pytest.raises(config.ConfigError, match=missing):
        config.build_config()


def test_production_uses_postgres_driver_and_redis(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("SECRET_KEY", "a-strong-secret-for-production-1")
    monkeypatch.setenv("JWT_SECRET_KEY", "a-strong-secret-for-production-2")
    cfg = config.build_config()
    assert cfg["SANGAM_MODE"] == "production"
    assert cfg["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")
    assert cfg["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"] == {"connect_timeout": 5}
    assert cfg["CACHE_TYPE"] == "RedisCache" and cfg["CACHE_KEY_PREFIX"]
    assert cfg["CELERY"]["broker_url"] == "redis://127.0.0.1:6379/0"
    assert cfg["SOCKETIO_MESSAGE_QUEUE"] == "redis://127.0.0.1:6379/0"
    assert cfg["TRUSTED_PROXIES"] == 0  # forwarded headers only when a proxy is declared (compose sets 1)


def test_postgres_urls_are_normalised_to_psycopg():
    for url in ("postgres://u:p@db:5432/sangam", "postgresql://u:p@db:5432/sangam"):
        assert config.normalise_database_url(url) == "postgresql+psycopg://u:p@db:5432/sangam"
    assert config.normalise_database_url("postgresql+psycopg://u@db/x") == "postgresql+psycopg://u@db/x"


def test_a_weak_secret_stops_the_process_with_one_line_naming_it(tmp_path):
    """What an operator sees: no traceback, exit status 1, the variable's name (SC-11)."""
    env = {**os.environ, "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/none",
           "SECRET_KEY": "a-strong-secret-for-production-1", "JWT_SECRET_KEY": "secret",
           "SANGAM_INSTANCE_DIR": str(tmp_path)}
    env.pop("REDIS_URL", None)
    run = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 1
    assert run.stderr.strip().splitlines() == [
        "Sangam configuration error: JWT_SECRET_KEY must be set to a strong secret (16+ characters) in production"]


def test_gunicorn_checks_the_configuration_before_forking():
    """gunicorn.conf.py's on_starting hook builds the config in the master, so bad secrets stop gunicorn."""
    import runpy

    hooks = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert hooks["worker_class"] == "gthread"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/none")
        mp.delenv("SECRET_KEY", raising=False)
        with pytest.raises(config.ConfigError, match="SECRET_KEY"):
            hooks["on_starting"](None)


@pytest.mark.parametrize(("env", "bind"), [({}, "127.0.0.1:5000"), ({"PORT": "8000"}, "127.0.0.1:8000"),
                                           ({"BIND_HOST": "0.0.0.0"}, "0.0.0.0:5000")])
def test_gunicorn_binds_loopback_unless_told(monkeypatch, env, bind):
    import runpy

    for name in ("PORT", "BIND_HOST"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["bind"] == bind
