"""The reception screen in a real browser (Debian's Chromium, Playwright) against the served demo app (CR-2).

The receptionist logs in, opens Reception, sees a visitor invited a moment ago arrive in the
"expected today" list live, checks them in with one click (they move to "on site" and the API agrees),
checks a second one in by scanning their pass, and sees a used pass refused with its reason.
Skipped, with the reason, where Chromium or Playwright is not installed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests

from tests.browser import CHROMIUM, PASSWORD, log_in

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (apt-get install chromium)")


@pytest.fixture
def frozen_clock():
    """The served app runs on the real clock, so this test does too (replaces the visitors' frozen clock)."""
    return None


def _login(base: str, role: str) -> dict:
    r = requests.post(f"{base}/api/v1/auth/login", timeout=5,
                      json={"email": f"{role}@demo.sangam.local", "password": PASSWORD})
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _invite(base: str, desk: dict, host_id: int, name: str, phone: str) -> dict:
    soon = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()  # its pass is open already
    r = requests.post(f"{base}/api/v1/visitors/visits", headers=desk, timeout=10, json={
        "visitor": {"name": name, "phone": phone}, "host_id": host_id, "purpose": "Browser test visit",
        "expected_at": soon})
    assert r.status_code == 201, r.text
    return r.json()


def test_reception_checks_visitors_in_from_the_list_and_by_scanning(page, served):
    log_in(page, email="reception@demo.sangam.local")
    page.wait_for_function("document.querySelector('#who').textContent.includes('(reception)')", timeout=10000)
    page.click("#nav a:has-text('Reception')")
    page.wait_for_function("document.querySelector('#live').textContent === 'live'", timeout=15000)
    page.wait_for_selector("#on-site tbody tr")

    desk = _login(served, "reception")
    host_id = requests.get(f"{served}/api/v1/auth/me", headers=_login(served, "user"), timeout=5).json()["id"]
    first = _invite(served, desk, host_id, "Browser Visitor One", "+91 97000 00001")
    row = f"#expected tbody tr[data-code='{first['code']}']"
    page.wait_for_selector(row, timeout=10000)  # arrives live (visit_update), no reload
    page.click(f"{row} button:has-text('Check in')")
    page.wait_for_selector(f"#on-site tbody tr[data-code='{first['code']}']", timeout=10000)
    assert page.locator(row).count() == 0
    visit = requests.get(f"{served}/api/v1/visitors/visits/{first['code']}", headers=desk, timeout=5).json()
    assert visit["status"] == "checked_in" and visit["checked_in_at"]

    second = _invite(served, desk, host_id, "Browser Visitor Two", "+91 97000 00002")
    page.fill("#validate-form input[name=token]", second["token"])
    page.click("#validate-form button[type=submit]")
    page.wait_for_function("document.querySelector('#validate-result').textContent.includes('Browser Visitor Two')")
    page.click("#validate-result button:has-text('Check in')")
    page.wait_for_selector(f"#on-site tbody tr[data-code='{second['code']}']", timeout=10000)

    page.click(f"#on-site tbody tr[data-code='{second['code']}'] button:has-text('Check out')")
    page.wait_for_function(f"!document.querySelector(\"#on-site tbody tr[data-code='{second['code']}']\")")
    page.fill("#validate-form input[name=token]", second["token"])
    page.click("#validate-form button[type=submit]")
    page.wait_for_function("document.querySelector('#desk-error').textContent.includes('Refused (used)')")
    assert page.errors == []
