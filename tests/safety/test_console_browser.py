"""The incidents board in a real browser (Chromium via Playwright) against the served demo.

A safety officer opens the board; a pilgrim raises an SOS through the API and it appears without a
reload; the officer acknowledges it and dispatches the nearest fitting unit from the board. Skipped,
with the reason, where Chromium or Playwright is not installed.
"""

from __future__ import annotations

import shutil

import pytest
import requests

from tests.safety.serving import PASSWORD, login

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright = pytest.importorskip("playwright.sync_api", reason="needs Playwright (requirements-dev.txt)")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (apt-get install chromium)")
DWARKA = (22.2380, 68.9680)


@pytest.fixture
def page(browser, served):
    # wait_for_function evaluates strings, which the console's CSP forbids; the last test runs without bypass
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, bypass_csp=True)
    page.goto(f"{served}/console/safety")
    return page


def log_in(page, role: str) -> None:
    page.fill("input[name=email]", f"{role.replace('_', '.')}@demo.sangam.local")
    page.fill("input[name=password]", PASSWORD)
    page.click("#login button[type=submit]")
    page.wait_for_function("document.querySelector('#live').textContent === 'live'", timeout=15000)


def row_text(page, code: str, column: str = "") -> str:
    return page.text_content(f"#board tr[data-code='{code}'] {column}".strip())


def wait_for_cell(page, code: str, column: str, text: str) -> None:
    page.wait_for_function(f"(document.querySelector(\"#board tr[data-code='{code}'] {column}\")?.textContent || '')"
                           f".includes('{text}')", timeout=10000)


def test_a_new_sos_appears_live_and_is_dispatched_from_the_board(page, served):  # PW-14, SC-7
    log_in(page, "safety_officer")
    page.wait_for_selector("#board tbody tr[data-code]")
    assert page.is_visible("#units-card")
    before = page.locator("#board tbody tr[data-code]").count()

    r = requests.post(f"{served}/api/v1/safety/sos", timeout=5,
                      headers={"Authorization": f"Bearer {login(served, 'user')}"},
                      json={"type": "medical", "lat": DWARKA[0], "lng": DWARKA[1], "temple": "dwarka",
                            "zone": "mainDarshan", "description": "Pilgrim fainted in the queue"})
    assert r.status_code == 201, r.text
    code = r.json()["code"]
    page.wait_for_selector(f"#board tr[data-code='{code}']", timeout=10000)  # live, no reload
    assert page.locator("#board tbody tr[data-code]").count() == before + 1
    assert "critical" in row_text(page, code) and row_text(page, code, ".status") == "reported"

    page.click(f"#board tr[data-code='{code}'] button:has-text('Acknowledge')")
    wait_for_cell(page, code, ".status", "acknowledged")
    page.click(f"#board tr[data-code='{code}'] button:has-text('Dispatch')")
    wait_for_cell(page, code, ".serving", "Dwarka medical team")  # the nearest fitting unit, ~150 m away
    assert "(dispatched)" in row_text(page, code, ".serving")
    page.wait_for_function(f"[...document.querySelectorAll('#units tbody tr')].some(tr => tr.textContent"
                           f".includes('{code}'))", timeout=10000)

    page.click(f"#board tr[data-code='{code}'] a")
    page.wait_for_function("document.querySelector('#timeline').textContent.includes('dispatched')", timeout=5000)
    officer = {"Authorization": f"Bearer {login(served, 'safety_officer')}"}
    incident = requests.get(f"{served}/api/v1/safety/incidents/{code}", headers=officer, timeout=5).json()
    assert incident["status"] == "acknowledged" and incident["units"][0]["name"] == "Dwarka medical team"
    assert page.errors == []


def test_an_operator_acknowledges_but_does_not_dispatch(page, served):
    log_in(page, "operator")
    page.wait_for_selector("#board tbody tr[data-code]")
    assert page.is_hidden("#units-card")
    assert page.locator("#board button:has-text('Dispatch')").count() == 0
    assert page.locator("#board button").count() >= 1
    assert page.errors == []


def test_the_board_runs_under_the_console_content_security_policy(browser, served):
    """Without any bypass: log in, go live, see the board and the units; the browser reports no CSP violation."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{served}/console/safety?incident=NONE-000000")
    page.fill("input[name=email]", "safety.officer@demo.sangam.local")
    page.fill("input[name=password]", PASSWORD)
    page.click("#login button[type=submit]")
    page.wait_for_selector("#live.live-live", timeout=15000)
    page.wait_for_selector("#board tbody tr[data-code]", timeout=10000)
    page.wait_for_selector("#units tbody tr", timeout=10000)
    assert page.violations == [] and page.errors == []
