"""The signs screen and the sign simulator in a real browser (Chromium via Playwright) against the demo server.

An operator watches the demo signs live; a sign simulator tab connects with a fresh key and shows up
online; the operator sends a message from a template, takes the sign over with an override and cancels
it, then approves an attendee's note — and the simulator shows each in turn, acknowledging what it gets.
"""

from __future__ import annotations

import pytest
import requests

from tests.browser import CHROMIUM, PASSWORD, log_in

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (apt-get install chromium)")


def _api(served_url: str) -> dict:
    token = requests.post(f"{served_url}/api/v1/auth/login", timeout=5, json={
        "email": "operator@demo.sangam.local", "password": PASSWORD}).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def _row_has(sign: str, text: str) -> str:
    return (f"[...document.querySelectorAll('#signs tbody tr')].some(tr => tr.textContent.includes({sign!r}) "
            f"&& tr.textContent.includes({text!r}))")


def _page(browser, url: str, *, strict: bool = False):
    """A page; Playwright's string waits need the CSP bypassed, ``strict`` keeps the console's CSP."""
    page = browser.new_page(viewport={"width": 1300, "height": 1000}, bypass_csp=not strict)
    page.goto(url)
    return page


def test_an_operator_runs_a_sign_from_the_console(browser, served):
    console = _page(browser, f"{served}/console/signs")
    log_in(console)
    console.wait_for_function("document.querySelector('#live').textContent === 'live'", timeout=15000)
    console.wait_for_function("document.querySelectorAll('#signs tbody tr').length === 8", timeout=10000)
    headers = _api(served)
    museum = next(s for s in requests.get(f"{served}/api/v1/city/signs", headers=headers, timeout=5).json()
                  if s["name"] == "Museum entrance")
    key = requests.post(f"{served}/api/v1/city/signs/{museum['id']}/key", headers=headers, timeout=5).json()["key"]

    sign = _page(browser, f"{served}/console/sign-simulator?key={key}&every=2")
    sign.wait_for_function("document.querySelector('#status').dataset.status === 'online'", timeout=10000)
    console.wait_for_function(_row_has("Museum entrance", "online"), timeout=10000)
    console.wait_for_function(_row_has("Museum entrance", "%"), timeout=10000)  # its battery, from a heartbeat

    console.select_option("#message-form select[name=template]", "wayfinding_restrooms")
    console.fill("#message-form input[name='param:direction']", "left of the museum")
    console.fill("#message-form input[name='param:distance_m']", "40")
    console.select_option("#message-form select[name=target]", "zones")
    console.fill("#message-form input[name=which]", "museum")
    console.click("#message-form button[type=submit]")
    sign.wait_for_function("document.querySelector('#log').textContent"
                           ".includes('Restrooms: left of the museum, 40 m.')", timeout=10000)
    sign.wait_for_function("document.querySelector('#log').textContent.includes('acknowledged message')")

    console.select_option("#override-form select[name=severity]", "critical")
    console.fill("#override-form input[name=title]", "Evacuate")
    console.fill("#override-form textarea[name=text]", "Leave by the east gate")
    console.select_option("#override-form select[name=target]", "zones")
    console.fill("#override-form input[name=which]", "museum")
    console.click("#override-form button[type=submit]")
    sign.wait_for_function("document.querySelector('#screen').dataset.kind === 'override' && "
                           "document.querySelector('#text').textContent === 'Leave by the east gate'", timeout=10000)
    console.wait_for_function("document.querySelector('#overrides').textContent.includes('1/1 acknowledged')",
                              timeout=10000)
    console.wait_for_function(_row_has("Museum entrance", "Evacuate: Leave by the east gate"), timeout=10000)

    console.click("#overrides li:has-text('Evacuate') button:has-text('Cancel')")
    sign.wait_for_function("document.querySelector('#screen').dataset.kind === 'message'", timeout=10000)
    console.wait_for_function("document.querySelector('#overrides').textContent.includes('No override in force.')",
                              timeout=10000)

    assert requests.post(f"{served}/api/v1/city/signs/submissions", timeout=5, json={
        "kind": "lost", "text": "Girl, 8, yellow frock", "zone": "museum"}).status_code == 201
    console.wait_for_function("document.querySelector('#submissions').textContent.includes('yellow frock')",
                              timeout=10000)
    console.click("#submissions li:has-text('yellow frock') button:has-text('Approve')")
    sign.wait_for_function("document.querySelector('#log').textContent.includes('LOST: Girl, 8, yellow frock')",
                           timeout=10000)
    console.wait_for_function("document.querySelector('#submissions').textContent.includes('Nothing to moderate.')",
                              timeout=10000)
    assert console.errors == [] and sign.errors == []


def test_the_simulator_says_when_its_key_is_refused(browser, served):
    sign = _page(browser, f"{served}/console/sign-simulator?key=sk_not_a_real_key")
    sign.wait_for_function("document.querySelector('#status').dataset.status === 'refused'", timeout=10000)
    assert "refused" in sign.text_content("#log") and sign.errors == []


def test_the_signs_pages_run_under_the_console_csp(browser, served):
    console = _page(browser, f"{served}/console/signs", strict=True)
    log_in(console)
    console.wait_for_selector("#live.live-live", timeout=15000)
    console.wait_for_selector("#signs tbody tr .status-offline", timeout=10000)
    assert console.eval_on_selector("#signs tbody tr .status-offline", "e => getComputedStyle(e).color") == \
        "rgb(176, 0, 32)"  # the screen's own sheet applies
    sign = _page(browser, f"{served}/console/sign-simulator?key=sk_not_a_real_key", strict=True)
    sign.wait_for_selector("#status[data-status=refused]", timeout=10000)
    assert sign.eval_on_selector("#screen", "e => getComputedStyle(e).backgroundColor") == "rgb(0, 0, 0)"
    assert console.violations == [] and sign.violations == [] and console.errors == [] and sign.errors == []
