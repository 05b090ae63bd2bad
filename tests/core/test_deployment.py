"""The deployment files, checked by reading them (SC-11): no Docker engine is needed."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

import config

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def nginx_blocks(name: str) -> list[str]:
    """The bodies of every ``name ... { ... }`` block of nginx.conf (no nested blocks inside)."""
    text = re.sub(r"#.*", "", (ROOT / "nginx.conf").read_text())
    return re.findall(rf"\b{name}\b[^{{;]*\{{([^{{}}]*)\}}", text)


def test_compose_runs_the_whole_stack_with_healthchecks(compose):
    services = compose["services"]
    assert set(services) == {"postgres", "redis", "mosquitto", "migrate", "web", "worker", "beat", "ingest", "nginx"}
    assert all("healthcheck" in svc for name, svc in services.items() if name != "migrate")
    assert " ".join(services["web"]["command"]) == "gunicorn -c gunicorn.conf.py wsgi:app"
    assert " ".join(services["ingest"]["command"]) == "flask city ingest-mqtt"
    for name in ("web", "worker", "beat", "ingest"):
        deps = services[name]["depends_on"]
        assert deps["postgres"]["condition"] == deps["redis"]["condition"] == "service_healthy"
        assert deps["migrate"]["condition"] == "service_completed_successfully"


def test_schema_is_migrated_once_by_a_one_shot_service(compose):
    services = compose["services"]
    assert services["migrate"]["command"] == ["flask", "db", "upgrade"] and services["migrate"]["restart"] == "no"
    assert [n for n, s in services.items() if "upgrade" in " ".join(s.get("command") or [])] == ["migrate"]


def test_exactly_one_beat(compose):
    services = compose["services"]
    assert services["beat"]["deploy"]["replicas"] == 1
    assert [n for n, s in services.items() if " beat" in " ".join(s.get("command") or [])] == ["beat"]


def test_secrets_are_required_from_env_and_listed_in_the_example(compose):
    raw = (ROOT / "docker-compose.yml").read_text()
    required = set(re.findall(r"\$\{(\w+):\?", raw))
    assert {"SECRET_KEY", "JWT_SECRET_KEY", "POSTGRES_PASSWORD"} <= required
    example = dict(line.split("=", 1) for line in (ROOT / ".env.example").read_text().splitlines()
                   if "=" in line and not line.startswith("#"))
    assert required <= set(example) and all(example[name] == "" for name in required)  # no default secret
    env = compose["services"]["web"]["environment"]
    assert env["DATABASE_URL"].startswith("postgresql://") and "redis://redis:6379/" in env["REDIS_URL"]


def test_volumes_keep_postgres_data_and_exports(compose):
    services = compose["services"]
    assert "pgdata:/var/lib/postgresql/data" in services["postgres"]["volumes"]
    for name in ("web", "worker"):
        export_dir = services[name]["environment"]["EXPORT_DIR"]
        assert f"exports:{export_dir}" in services[name]["volumes"]
    assert {"pgdata", "exports"} <= set(compose["volumes"])


def test_nginx_balances_sticky_and_upgrades_websockets(monkeypatch, tmp_path):
    (upstream,) = nginx_blocks("upstream")
    assert "ip_hash;" in upstream and "server web:5000" in upstream
    text = (ROOT / "nginx.conf").read_text()
    assert re.search(r"location /socket\.io/ \{[^}]*proxy_set_header Upgrade\s+\$http_upgrade", text)
    assert re.search(r"location /socket\.io/ \{[^}]*proxy_set_header Connection\s+\$connection_upgrade", text)
    assert "gzip on;" in text
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("MAX_CONTENT_LENGTH", raising=False)
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    size = re.search(r"client_max_body_size (\d+)m;", text).group(1)
    assert int(size) * 1024 * 1024 == config.build_config()["MAX_CONTENT_LENGTH"]


def test_every_proxied_location_sends_the_forwarded_headers():
    """nginx drops inherited proxy_set_header in a location that sets its own: each must set them all."""
    locations = [body for body in nginx_blocks("location") if "proxy_pass" in body]
    assert len(locations) >= 2
    for body in locations:
        for header in ("Host", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Request-ID"):
            assert re.search(rf"proxy_set_header {header}\s", body), f"{header} missing in a location"


def test_nginx_answers_its_own_errors_as_json():
    """A body over 2 MiB, a URL or headers too long, the app restarting: the API's JSON error shape, not HTML."""
    text = re.sub(r"#.*", "", (ROOT / "nginx.conf").read_text())
    pages = dict(re.findall(r"error_page ([\d =]+?) (/__errors/\d+\.json);", text))
    codes = {code for spec in pages for code in spec.split() if not code.startswith("=")}
    assert {"400", "413", "414", "502", "503", "504"} <= codes
    for target in pages.values():
        body = re.search(rf"location = {re.escape(target)} \{{(.*?';)\s*\}}", text, re.S).group(1)
        assert "internal;" in body and "default_type application/json;" in body
        status, payload = re.search(r"return (\d+) '([^']*)';", body).groups()
        error = json.loads(payload)
        assert error["code"] == int(status) and error["error"] and error["message"]


@pytest.mark.skipif(shutil.which("nginx") is None, reason="needs nginx to check the file (apt-get install nginx)")
def test_nginx_accepts_the_file(tmp_path):
    conf = (ROOT / "nginx.conf").read_text().replace("server web:5000", "server 127.0.0.1:5000")
    (tmp_path / "logs").mkdir()
    (tmp_path / "nginx.conf").write_text(f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/logs/error.log;\n" + conf)
    result = subprocess.run(["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr


def test_dockerfile_runs_gunicorn_as_a_non_root_user():
    text = (ROOT / "Dockerfile").read_text()
    assert text.startswith("# ") and "FROM python:3.11-slim" in text
    assert "pip install -r requirements.txt" in text
    users = re.findall(r"^USER (\S+)", text, re.M)
    assert users and users[-1] not in ("root", "0")
    assert 'CMD ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]' in text
    assert re.search(r"HEALTHCHECK .*\n?.*/health", text)
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", ".venv", ".git"} <= set(ignored)
