"""The console's screens in a real browser (Chromium via Playwright) against the served demo (SC-2, SC-8, CR-5).

Who may see what (a pilgrim is refused, each role sees its screens and controls and makes no failing call),
the overview's map changing live (a crowd reading, an SOS, a shuttle, a sign going offline), the alarm
banner and its acknowledgement, the parking board, exports, the comprehensive report and the audit log.
Every wait is on the page's state (no sleeps).
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import pytest
import requests
from pypdf import PdfReader

from tests.browser import log_in, login, needs_chromium

pytestmark = needs_chromium
SOMNATH = (20.888, 70.4013)


def _auth(served: str, role: str) -> dict:
    return {"Authorization": f"Bearer {login(served, role)}"}


def _failures(page) -> list[str]:
    """Record every API answer of 400 or more the page receives (a call its user should not have made)."""
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.request.method} {r.url}")
            if r.status >= 400 and "/api/" in r.url else None)
    return failed


def _nav(page) -> set[str]:
    return set(page.eval_on_selector_all("#nav a:not([hidden])", "links => links.map(a => a.getAttribute('href'))"))


def _wait_live(page) -> None:
    page.wait_for_function("document.querySelector('#live').dataset.status === 'live'", timeout=15000)


def test_a_pilgrim_is_refused_the_console(page, served):
    failed = _failures(page)
    log_in(page, "user")
    page.wait_for_selector("#refused:not([hidden])", timeout=10000)
    assert "for staff" in page.text_content("#refused") and "Sangam app" in page.text_content("#refused")
    assert page.is_hidden("#nav") and page.is_hidden("#dashboard") and page.is_visible("#login-panel")
    assert page.evaluate("sessionStorage.getItem('sangam.token')") is None  # the session was ended at once
    assert failed == [] and page.errors == []


@pytest.mark.parametrize(("role", "sees", "not_sees"), [
    ("operator", {"/console/", "/console/parking", "/console/reports", "/console/signs", "/console/safety"},
     {"/console/visitors"}),
    ("safety_officer", {"/console/", "/console/safety", "/console/city", "/console/reports"},
     {"/console/parking", "/console/signs", "/console/visitors"}),
    ("reception", {"/console/", "/console/visitors", "/console/reports"},
     {"/console/parking", "/console/safety", "/console/signs", "/console/city"}),
    ("admin", {"/console/", "/console/parking", "/console/reports", "/console/safety", "/console/signs",
               "/console/visitors", "/console/city"}, set()),
])
def test_each_role_sees_its_screens_and_controls_and_no_call_fails(page, served, role, sees, not_sees):
    failed = _failures(page)
    log_in(page, role)
    page.wait_for_selector("#dashboard:not([hidden])", timeout=10000)
    _wait_live(page)
    page.wait_for_selector("#map .temple-pin[data-temple=somnath]", timeout=10000)
    nav = _nav(page)
    assert sees <= nav and not (not_sees & nav), nav
    responder = role in ("operator", "safety_officer", "admin")
    assert page.is_visible("#alert-form") == responder  # raising alerts: operators and safety officers
    assert page.is_visible("#kpi-card") == (role in ("operator", "admin"))
    if role == "operator":  # the parking board is the operator's
        page.click("#nav a[href='/console/parking']")
        page.wait_for_selector("#lots li[data-lot]", timeout=10000)
        assert page.locator("#lots li[data-lot]").count() == 6
    if role == "reception":  # a screen the role may not use says so and asks nothing of the API
        page.goto(f"{served}/console/parking")
        page.wait_for_selector("#forbidden:not([hidden])", timeout=10000)
        assert page.is_hidden("#dashboard")
    assert failed == [] and page.errors == []


def test_the_map_changes_live_crowd_sos_shuttle_and_a_sign_going_offline(browser, page, served):
    log_in(page)
    _wait_live(page)
    page.wait_for_selector("#map .temple-pin[data-temple=somnath] .zone[data-zone=museum]", timeout=10000)
    assert page.locator("#map .parking-pin").count() == 6 and page.locator("#map .aqi-pin").count() >= 1
    operator = _auth(served, "operator")

    # a crowd reading fills the museum: its zone on the map turns critical, the row says when it was read
    assert requests.post(f"{served}/api/v1/temples/somnath/crowd", json={"zone": "museum", "count": 300},
                         headers=operator, timeout=5).status_code == 201
    page.wait_for_function("document.querySelector('#map .temple-pin[data-temple=somnath] .zone[data-zone=museum]')"
                           ".dataset.level === 'critical'", timeout=10000)
    assert page.locator("#crowd tr[data-zone=museum][data-temple=somnath] time.reading:not(.stale)").count() == 1

    # a pilgrim's SOS: a pin and the banner; the operator acknowledges it from the banner
    r = requests.post(f"{served}/api/v1/safety/sos", headers=_auth(served, "user"), timeout=5, json={
        "type": "fire", "lat": SOMNATH[0] + 0.001, "lng": SOMNATH[1], "temple": "somnath", "description": "Smoke"})
    assert r.status_code == 201, r.text
    code = r.json()["code"]
    page.wait_for_selector(f"#map .incident-pin[data-code='{code}'][data-status=reported]", timeout=10000)
    page.wait_for_selector(f"#banner li[data-key='sos:{code}']", timeout=10000)
    assert page.get_attribute("#banner", "data-sound") == "playing"
    page.click(f"#banner li[data-key='sos:{code}'] button.ack")
    page.wait_for_selector(f"#map .incident-pin[data-code='{code}'][data-status=acknowledged]", timeout=10000)
    officer = _auth(served, "safety_officer")
    assert requests.get(f"{served}/api/v1/safety/incidents/{code}", headers=officer,
                        timeout=5).json()["status"] == "acknowledged"

    # a shuttle reports its position: it appears, then moves
    shuttle = requests.get(f"{served}/api/v1/temples/somnath/shuttles", timeout=5).json()[0]
    for lat in (SOMNATH[0] + 0.01, SOMNATH[0] + 0.02):
        assert requests.post(f"{served}/api/v1/shuttles/{shuttle['id']}/position", headers=operator, timeout=5,
                             json={"lat": lat, "lng": SOMNATH[1], "passengers": 12}).status_code == 201
        page.wait_for_function(f"(document.querySelector('#map .shuttle-pin[data-shuttle=\"{shuttle['id']}\"]')"
                               f"?.closest('.leaflet-marker-icon')?.title || '').includes('12/')", timeout=10000)
    moved = page.evaluate(f"document.querySelector('#map .shuttle-pin[data-shuttle=\"{shuttle['id']}\"]').dataset.at")
    assert moved

    # a sign comes online (the simulator) and goes offline when it disconnects
    signs = requests.get(f"{served}/api/v1/city/signs", headers=operator, timeout=5).json()
    sign = next(s for s in signs if s["name"] == "Triveni ghat steps")
    key = requests.post(f"{served}/api/v1/city/signs/{sign['id']}/key", headers=operator, timeout=5).json()["key"]
    simulator = browser.new_page(bypass_csp=True)
    simulator.goto(f"{served}/console/sign-simulator?key={key}&every=2")
    page.wait_for_selector(f"#map .sign-pin[data-sign='{sign['id']}'][data-status=online]", timeout=10000)
    simulator.close()
    page.wait_for_selector(f"#map .sign-pin[data-sign='{sign['id']}'][data-status=offline]", timeout=15000)
    assert page.errors == []


def _clear_banner(page) -> None:
    """Acknowledge whatever earlier tests left ringing (say the critical crowd alert of a full zone)."""
    while page.locator("#banner li").count():
        key = page.get_attribute("#banner li", "data-key")
        page.click(f"#banner li[data-key='{key}'] button.ack")
        page.wait_for_selector(f"#banner li[data-key='{key}']", state="detached")


def test_a_critical_alert_rings_the_banner_until_acknowledged(page, served):
    log_in(page, "safety_officer")
    _wait_live(page)
    page.wait_for_selector("#alerts li", timeout=10000)
    _clear_banner(page)
    r = requests.post(f"{served}/api/v1/alerts", headers=_auth(served, "operator"), timeout=5, json={
        "scope": "city", "severity": "critical", "title": "Stampede risk at gate 3", "message": "Close gate 3."})
    assert r.status_code == 201
    alert = r.json()
    item = f"#banner li[data-key='alert:{alert['id']}']"
    page.wait_for_selector(item, timeout=10000)
    assert "Stampede risk at gate 3" in page.text_content(item)
    assert "operator@demo.sangam.local" in page.text_content(item)  # who raised it, and when
    assert page.get_attribute("#banner", "data-sound") == "playing"
    # the alert list carries the time and the author too
    page.wait_for_function(f"document.querySelector('#alerts li[data-id=\"{alert['id']}\"]')?.textContent"
                           ".includes('operator@demo.sangam.local')", timeout=10000)
    page.click("#mute")
    assert page.get_attribute("#banner", "data-sound") == "muted"
    page.click("#mute")
    page.click(f"{item} button.ack")
    page.wait_for_selector("#banner", state="hidden")
    assert page.get_attribute("#banner", "data-sound") == "off"
    page.reload()  # acknowledged on this console: it stays quiet
    page.wait_for_selector("#dashboard:not([hidden])", timeout=10000)
    page.wait_for_function(f"document.querySelector('#alerts li[data-id=\"{alert['id']}\"]') !== null",
                           timeout=10000)
    assert page.is_hidden("#banner")
    requests.post(f"{served}/api/v1/alerts/{alert['id']}/cancel", headers=_auth(served, "operator"), timeout=5)


def test_the_live_badge_comes_back_after_logging_out_and_in(page, served):
    log_in(page)
    _wait_live(page)
    page.click("#logout")
    page.wait_for_selector("#login-panel:not([hidden])")
    assert page.text_content("#live") == ""
    log_in(page)
    _wait_live(page)
    # the new socket carries the new token: a staff-only emergency event reaches the map
    r = requests.post(f"{served}/api/v1/safety/incidents", headers=_auth(served, "safety_officer"), timeout=5,
                      json={"type": "other", "severity": "low", "title": "Lost wallet handed in",
                            "lat": SOMNATH[0], "lng": SOMNATH[1] + 0.001})
    assert r.status_code == 201, r.text
    page.wait_for_selector(f"#map .incident-pin[data-code='{r.json()['code']}']", timeout=10000)
    assert page.get_attribute("#live", "data-status") == "live" and page.errors == []


def test_the_parking_board_follows_a_car_live(page, served):
    log_in(page)
    page.click("#nav a[href='/console/parking']")
    page.wait_for_selector("#lots li[data-lot]", timeout=10000)
    _wait_live(page)
    lot = requests.get(f"{served}/api/v1/parking/lots", timeout=5).json()[3]
    before = int(page.get_attribute(f"#lots li[data-lot='{lot['id']}']", "data-free"))
    r = requests.post(f"{served}/api/v1/parking/reservations", headers=_auth(served, "reception"), timeout=5,
                      json={"lot_id": lot["id"], "vehicle_number": "GJ11AB1234"})
    assert r.status_code == 201, r.text
    page.wait_for_function(f"document.querySelector('#lots li[data-lot=\"{lot['id']}\"]').dataset.free"
                           f" === '{before - 1}'", timeout=10000)
    assert page.locator(f"#lots li[data-lot='{lot['id']}'] .bar[role=meter]").count() == 1
    used_pct = math.floor(100 * (lot["total_spots"] - before + 1) / lot["total_spots"] + 0.5)  # JS Math.round
    assert page.get_attribute(f"#lots li[data-lot='{lot['id']}'] .bar", "aria-valuenow") == str(used_pct)
    assert page.errors == []


def test_an_admin_exports_a_dataset_and_reads_the_audit_log(page, served):
    log_in(page, "admin")
    page.click("#nav a[href='/console/reports']")
    page.wait_for_selector("#audit tbody tr", timeout=10000)
    page.select_option("#export-form select[name=dataset]", "alerts")
    page.select_option("#export-form select[name=format]", "csv")
    page.click("#export-form button[type=submit]")
    page.wait_for_selector("#exports tr[data-status=done]", timeout=30000)
    with page.expect_download() as info:
        page.click("#exports tr[data-status=done] button")
    content = Path(info.value.path()).read_text(encoding="utf-8-sig")
    assert content.splitlines()[0].startswith("ID,Raised") and info.value.suggested_filename.endswith(".csv")

    page.fill("#audit-form input[name=entity]", "sign")
    page.click("#audit-form button[type=submit]")
    page.wait_for_function("(rows => rows.length > 0 && rows.every(tr => tr.dataset.entity === 'sign'))"
                           "([...document.querySelectorAll('#audit tbody tr')])", timeout=10000)
    assert page.errors == []


def test_an_operator_sees_no_audit_log_and_only_own_datasets(page, served):
    failed = _failures(page)
    log_in(page)
    page.click("#nav a[href='/console/reports']")
    page.wait_for_selector("#export-form", timeout=10000)
    page.wait_for_selector("#comprehensive-form", state="visible")
    assert page.is_hidden("#audit-form")
    assert failed == []


def test_a_manager_downloads_the_comprehensive_report(page, served):
    """An admin (the manager) downloads the week's comprehensive PDF from the reports screen; it reads as a PDF
    with a table of contents."""
    log_in(page, "admin")
    page.click("#nav a[href='/console/reports']")
    page.wait_for_selector("#comprehensive-form", state="visible", timeout=10000)
    page.select_option("#comprehensive-form select[name=period]", "week")
    with page.expect_download(timeout=60000) as info:
        page.click("#comprehensive-form button[type=submit]")
    with open(info.value.path(), "rb") as pdf:
        data = pdf.read()
    assert data[:5] == b"%PDF-"
    text = "".join(page_.extract_text() for page_ in PdfReader(io.BytesIO(data)).pages[:2])
    assert "Contents" in text
    assert info.value.suggested_filename.endswith(".pdf")
    page.wait_for_function("document.querySelector('#comprehensive-result').textContent.length > 0")
    assert page.errors == []


def test_the_new_screens_run_under_the_content_security_policy(browser, served):
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    page.goto(f"{served}/")
    log_in(page, "admin")
    page.wait_for_selector("#map .temple-pin", timeout=15000)
    page.wait_for_selector("#live.live-live", timeout=15000)
    for screen, ready in (("parking", "#lots li"), ("reports", "#audit tbody tr")):
        page.goto(f"{served}/console/{screen}")
        page.wait_for_selector(ready, timeout=10000)
    assert page.violations == [] and page.errors == []


@pytest.mark.parametrize("role", ["operator", "safety_officer", "reception", "admin"])
def test_every_screen_a_role_is_shown_asks_the_api_only_what_the_role_may(page, served, role):
    failed = _failures(page)
    log_in(page, role)
    page.wait_for_selector("#dashboard:not([hidden])", timeout=10000)
    for href in sorted(_nav(page) - {"/console/sign-simulator"}):
        page.goto(f"{served}{href}")
        page.wait_for_selector("#dashboard:not([hidden])", timeout=10000)
        _wait_live(page)
        page.wait_for_load_state("networkidle")
    # the city screen asks for the latest collection plan and shows "No routes planned yet." on its 404
    failed = [f for f in failed if not (f.startswith("404 ") and f.endswith("/city/waste/routes/latest"))]
    assert failed == [] and page.errors == []
