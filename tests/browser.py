"""Real clients against the served demo: one embedded server (`make run`'s mode) and Debian's Chromium.

Used by every console and live-client test (a pytest plugin, loaded by the root conftest):

- ``demo_server(tmp, **env)``: migrate, seed the demo data and serve it on a free port; yields the base URL;
- ``served`` (module fixture): one such server per test module; ``served_env`` overrides its settings;
- ``browser`` / ``page``: Chromium via Playwright; ``page`` opens the console at 1300 px, records page errors
  in ``page.errors`` and CSP violations in ``page.violations``;
- ``log_in(page, role)`` and ``login(base, role)`` (an access token) for the demo accounts.

A browser test that fails leaves a screenshot of every page it opened in ``$SCREENSHOT_DIR``
(default ``artifacts/screenshots``), which CI keeps. Tests skip, saying why, without Chromium or Playwright.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.platform.servers import free_port

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PASSWORD = "Console-demo-passw0rd"
JWT_SECRET = "console-browser-test-jwt-secret-0123456789"
SCREENSHOT_DIR = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "artifacts" / "screenshots"))
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (apt-get install chromium)")


@contextlib.contextmanager
def demo_server(tmp: Path, **settings: str):
    """Migrate, seed the demo data and serve it (SQLite, no Redis, real clock); yield the base URL."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "SANGAM_TEST_CLOCK")}
    env |= {"SANGAM_INSTANCE_DIR": str(tmp), "FLASK_APP": "wsgi", "DEMO_PASSWORD": PASSWORD, "LOG_LEVEL": "WARNING",
            "EXPORT_DIR": str(tmp / "exports"), "JWT_SECRET_KEY": JWT_SECRET, "RATELIMIT_ENABLED": "0", **settings}
    run = {"cwd": ROOT, "env": env, "check": True, "capture_output": True, "timeout": 180}
    subprocess.run([str(BIN / "flask"), "db", "upgrade"], **run)
    subprocess.run([str(BIN / "flask"), "seed-demo"], **run)
    with open(tmp / "server.log", "wb") as log:
        server = subprocess.Popen([str(BIN / "python"), "run.py", "--port", str(port)], cwd=ROOT, env=env,
                                  stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if requests.get(f"{base}/health", timeout=1).status_code == 200:
                        break
                except requests.ConnectionError:
                    pass
                assert time.monotonic() < deadline, (tmp / "server.log").read_text()
                time.sleep(0.2)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=10)


def email_of(role: str) -> str:
    return f"{role.replace('_', '.')}@demo.sangam.local"


def login(base: str, role: str) -> str:
    """The access token of the demo account of ``role``."""
    r = requests.post(f"{base}/api/v1/auth/login", json={"email": email_of(role), "password": PASSWORD}, timeout=5)
    assert r.status_code == 200, r.text
    return r.json()["access_token"]


def log_in(page, email: str = "operator@demo.sangam.local", password: str = PASSWORD) -> None:
    """Log in through the console's form; ``email`` may be a role name."""
    page.fill("input[name=email]", email if "@" in email else email_of(email))
    page.fill("input[name=password]", password)
    page.click("#login button[type=submit]")


@pytest.fixture(scope="module")
def served_env() -> dict:
    """Extra settings of the module's served demo (override in a test module)."""
    return {}


@pytest.fixture(scope="module")
def served(tmp_path_factory, served_env):
    """The embedded demo, seeded, on a free port: one per test module."""
    with demo_server(tmp_path_factory.mktemp("served"), **served_env) as base:
        yield base


@pytest.fixture
def browser(request):
    """Chromium (Debian's) driven by Playwright; the pages it opened are kept for the failure screenshot."""
    if CHROMIUM is None:
        pytest.skip("needs Chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs Playwright (requirements-dev.txt)")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        request.node.browser_pages = []
        original = chromium.new_page

        def new_page(*args, **kwargs):
            page = original(*args, **kwargs)
            page.errors, page.violations = [], []
            page.on("pageerror", lambda exc: page.errors.append(str(exc)))
            page.on("console", lambda msg: page.violations.append(msg.text)
                    if "Content Security Policy" in msg.text else None)
            request.node.browser_pages.append(page)
            return page

        chromium.new_page = new_page
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, served):
    """The console at 1300 px. Playwright's string waits need the CSP bypassed; strict pages use ``browser``."""
    page = browser.new_page(viewport={"width": 1300, "height": 1000}, bypass_csp=True)
    page.goto(f"{served}/")
    return page


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    for number, page in enumerate(getattr(item, "browser_pages", [])):
        with contextlib.suppress(Exception):
            SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid)[-150:]
            path = SCREENSHOT_DIR / f"{name}-{number}.png"
            page.screenshot(path=str(path), full_page=True)
            report.sections.append(("screenshot", str(path)))
