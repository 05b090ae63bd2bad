"""The console at phone width, by keyboard and in Gujarati and Hindi (issue 15 item 4), in a real browser.

Every screen at 360 px has no horizontal page overflow (wide tables scroll inside their card); Tab reaches
the skip link, the login form and the nav; the language picker relabels the page and is remembered.
"""

from __future__ import annotations

import json
import re

from tests.browser import PASSWORD, ROOT, log_in, needs_chromium

pytestmark = needs_chromium


def _catalogue(language: str) -> dict:
    """One language of static/i18n.js (the console's only catalogue), read as the browser would."""
    source = (ROOT / "app/console/static/i18n.js").read_text(encoding="utf-8")
    block = re.search(rf"^  {language}: \{{\n(.*?)^  \}},", source, re.S | re.M).group(1)
    return json.loads("{" + re.sub(r",\s*$", "", re.sub(r"^\s*//.*$", "", block, flags=re.M).strip()) + "}")


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_every_screen_fits_a_phone_360_px_wide(browser, served):
    page = browser.new_page(viewport={"width": 360, "height": 740}, bypass_csp=True)
    page.goto(f"{served}/")
    assert _fits(page), "the login page overflows"
    log_in(page, "admin")
    page.wait_for_selector("#map .temple-pin", timeout=15000)
    screens = page.eval_on_selector_all("#nav a:not([hidden])", "links => links.map(a => a.getAttribute('href'))")
    assert len(screens) >= 8
    wide = []
    for href in screens:
        page.goto(f"{served}{href}")
        page.wait_for_load_state("networkidle")
        if page.locator("#dashboard").count():
            page.wait_for_selector("#dashboard:not([hidden])", timeout=10000)
        if not _fits(page):
            wide.append((href, page.evaluate("document.documentElement.scrollWidth")))
    assert wide == [] and page.errors == []


def test_the_keyboard_reaches_the_skip_link_the_login_and_the_nav(page):
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.is_visible(".skip")  # shown while focused
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "email":
            break
    assert page.evaluate("document.activeElement.name") == "email"
    page.keyboard.type("operator@demo.sangam.local")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("#nav:not([hidden])", timeout=10000)

    page.reload()  # still logged in (this tab's session); Tab from the top of the page
    page.wait_for_selector("#nav:not([hidden])", timeout=10000)
    reached = []
    for _ in range(20):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.closest('nav') ? document.activeElement.textContent : ''"))
        if "Parking" in reached:
            break
    assert "Overview" in reached and "Parking" in reached
    page.keyboard.press("Enter")  # a real link: Enter follows it
    page.wait_for_url("**/console/parking")
    page.wait_for_selector("#lots li", timeout=10000)

    page.keyboard.press("Tab")  # the skip link moves focus to the content
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.errors == []


def test_the_language_picker_relabels_the_console_and_is_remembered(page):
    gu, hi, en = _catalogue("gu"), _catalogue("hi"), _catalogue("en")
    assert set(gu) >= set(en) and set(hi) >= set(en)  # every label has its translations
    page.select_option("#lang", "gu")
    page.wait_for_function(f"document.querySelector('#login-panel h2').textContent === {json.dumps(gu['login.title'])}")
    assert page.evaluate("document.documentElement.lang") == "gu"
    page.reload()  # kept in localStorage
    page.wait_for_function(f"document.querySelector('#login-panel h2').textContent === {json.dumps(gu['login.title'])}")
    log_in(page)
    page.wait_for_selector("#map .temple-pin", timeout=15000)
    assert page.text_content("#nav a[href='/console/']") == gu["nav.overview"]
    assert page.text_content("#crowd th:first-child") == gu["th.temple"]
    page.wait_for_function(f"document.querySelector('#live').textContent === {json.dumps(gu['live.live'])}",
                           timeout=15000)
    page.select_option("#lang", "hi")
    page.wait_for_function(f"document.querySelector('#nav a[href=\"/console/\"]').textContent === "
                           f"{json.dumps(hi['nav.overview'])}")
    assert page.text_content("#logout") == hi["logout"]
    assert page.text_content("#live") == hi["live.live"]
    page.select_option("#lang", "en")
    page.wait_for_function("document.querySelector('#logout').textContent === 'Log out'")
    assert page.errors == []
