"""Write docs/screenshots/console.png: the console's overview with its map, 1300 px wide (``make screenshot``).

Serves the embedded demo (tests.browser.demo_server), lets a shuttle report its position so the map shows
one, logs in as the demo operator, waits for the map's pins and the live badge, focuses the map on
Somnath and saves the top of the page. Needs Chromium and Playwright (requirements-dev.txt).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import requests

from tests.browser import CHROMIUM, ROOT, demo_server, log_in, login

OUT = ROOT / "docs" / "screenshots" / "console.png"


def main(out: Path = OUT) -> Path:
    if CHROMIUM is None:
        sys.exit("needs Chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, demo_server(Path(tmp)) as base:
        headers = {"Authorization": f"Bearer {login(base, 'operator')}"}
        somnath = requests.get(f"{base}/api/v1/temples/somnath", timeout=5).json()
        shuttle = requests.get(f"{base}/api/v1/temples/somnath/shuttles", timeout=5).json()[0]
        requests.post(f"{base}/api/v1/shuttles/{shuttle['id']}/position", headers=headers, timeout=5, json={
            "lat": somnath["lat"] + 0.0016, "lng": somnath["lng"] - 0.0012, "passengers": 23}).raise_for_status()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1300, "height": 1100})
            page.goto(f"{base}/")
            log_in(page)
            page.wait_for_selector("#map .temple-pin[data-temple=somnath] .zone", timeout=15000)
            page.wait_for_selector("#live.live-live", timeout=15000)
            page.select_option("#map-focus", "somnath")
            page.evaluate("([lat, lng]) => SangamMap.map.setView([lat, lng], 17)", [somnath["lat"], somnath["lng"]])
            page.wait_for_selector("#map .shuttle-pin")
            page.wait_for_load_state("networkidle")
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out), full_page=False)
            browser.close()
    return out


if __name__ == "__main__":
    print(main())
