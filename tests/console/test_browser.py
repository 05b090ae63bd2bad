"""The operator console in a real browser (Debian's Chromium driven by Playwright) against a served app.

An operator logs in, sees today's KPIs and every zone's crowd, then watches a crowd reading and an
alert made by someone else arrive live over Socket.IO (the console's own client, static/live.js),
without reloading. Skipped, with the reason, where Chromium or Playwright is not installed.
"""

from __future__ import annotations

import base64
import json

import jwt
import requests

from tests.browser import JWT_SECRET, PASSWORD, log_in, needs_chromium

pytestmark = needs_chromium


def test_wrong_password_is_shown_and_the_dashboard_stays_hidden(page):
    log_in(page, password="not-the-password-1")
    page.wait_for_function("document.querySelector('#login-error').textContent.length > 0")
    assert "password" in page.text_content("#login-error").lower()
    assert page.is_hidden("#dashboard")


def test_operator_sees_kpis_crowds_and_live_updates(page, served):
    log_in(page)
    page.wait_for_function("document.querySelector('#live').textContent === 'live'", timeout=15000)
    assert "Demo operator (operator)" in page.text_content("#who")
    assert page.locator("#kpis li").count() >= 10
    assert page.locator("#crowd tbody tr").count() == 15  # every zone of the four demo temples
    assert page.locator("#parking tbody tr").count() == 6

    # Someone else (a counting device's operator) reports a reading and raises an alert through the API.
    token = requests.post(f"{served}/api/v1/auth/login", timeout=5, json={
        "email": "operator@demo.sangam.local", "password": PASSWORD}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert requests.post(f"{served}/api/v1/temples/somnath/crowd", json={"zone": "museum", "count": 123},
                         headers=headers, timeout=5).status_code == 201
    page.wait_for_function("[...document.querySelectorAll('#crowd tbody tr')]"
                           ".some(tr => tr.textContent.includes('Prabhas Patan museum123'))", timeout=10000)
    assert requests.post(f"{served}/api/v1/alerts", headers=headers, timeout=5, json={
        "scope": "city", "severity": "warning", "title": "Gate 4 closed", "message": "Use gate 2."}).status_code == 201
    page.wait_for_function("document.querySelector('#alerts').textContent.includes('Gate 4 closed')", timeout=10000)
    page.wait_for_function(
        "document.querySelector('#kpis li[data-name=\"alerts.active\"] .value').textContent === '1'", timeout=10000)

    # The operator cancels it from the console: it leaves the list, and the KPI follows.
    page.click("#alerts li:has-text('Gate 4 closed') button:has-text('Cancel')")
    page.wait_for_function("document.querySelector('#alerts').textContent.includes('No active alerts.')", timeout=10000)
    page.wait_for_function(
        "document.querySelector('#kpis li[data-name=\"alerts.active\"] .value').textContent === '0'", timeout=10000)
    assert requests.get(f"{served}/api/v1/alerts?active=true", timeout=5).json() == []

    page.click("#logout")
    page.wait_for_selector("#login-panel:not([hidden])")
    assert page.errors == []


def _expired(token: str) -> str:
    """The same access token (same user, jti, refresh link), re-signed as if it had expired an hour ago."""
    claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    claims |= {"iat": claims["iat"] - 7200, "nbf": claims["nbf"] - 7200, "exp": claims["iat"] - 3600}
    return jwt.encode(claims, JWT_SECRET, algorithm="HS256")


def test_an_expired_access_token_is_renewed_without_logging_out(page):
    log_in(page)
    page.wait_for_function("document.querySelector('#live').textContent === 'live'", timeout=15000)
    first = page.evaluate("[sessionStorage.getItem('sangam.token'), sessionStorage.getItem('sangam.refresh')]")
    page.evaluate("t => sessionStorage.setItem('sangam.token', t)", _expired(first[0]))
    page.reload()  # the console starts with GET /auth/me: 401 token_expired, then POST /auth/refresh, then again
    page.wait_for_function("document.querySelector('#who').textContent.includes('Demo operator')", timeout=10000)
    assert page.is_visible("#dashboard") and page.is_hidden("#login-panel")
    renewed = page.evaluate("[sessionStorage.getItem('sangam.token'), sessionStorage.getItem('sangam.refresh')]")
    assert renewed[0] != first[0] and renewed[1] != first[1]  # a new pair: the refresh token rotated
    page.wait_for_function("document.querySelector('#live').textContent === 'live'", timeout=15000)
    assert page.errors == []


def test_api_docs_render_offline(page, served):
    """Swagger UI and ReDoc draw the API from local scripts (no CDN is reachable from the town's network)."""
    blocked = []
    page.route("**/*", lambda route: (blocked.append(route.request.url), route.abort())
               if not route.request.url.startswith(served) else route.continue_())
    page.goto(f"{served}/api/docs")
    page.wait_for_selector("[data-path='/api/v1/auth/login']", timeout=15000)
    page.goto(f"{served}/api/redoc")
    page.wait_for_selector("h2:has-text('Exchange e-mail and password')", timeout=15000)
    assert blocked == [] and page.errors == []


def test_the_console_runs_under_its_content_security_policy(browser, served):
    """Without any bypass: log in, go live, see the crowd table; the browser reports no CSP violation."""
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    page.goto(f"{served}/")
    log_in(page)
    page.wait_for_selector("#live.live-live", timeout=15000)
    page.wait_for_selector("#crowd tbody tr", timeout=10000)
    assert page.violations == [] and page.errors == []
