"""The console is served as a page with its assets; the root redirects to it."""


def test_console_page_and_assets(client):
    assert client.get("/").headers["Location"].endswith("/console/")
    page = client.get("/console/")
    assert page.status_code == 200 and b"Sangam" in page.data and b"console.js" in page.data
    assert client.get("/console/static/console.js").status_code == 200
    assert client.get("/console/static/console.css").status_code == 200


def test_console_pages_carry_a_content_security_policy(client):
    csp = client.get("/console/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "unsafe-inline" not in csp


def test_a_screen_nobody_declared_is_404(client):
    assert client.get("/console/nothing-here").status_code == 404


def test_the_map_draws_a_plain_background_by_default_and_allows_no_outside_image(client):
    page = client.get("/console/")
    assert b'data-tiles=""' in page.data and b"vendor/leaflet/leaflet.js" in page.data
    csp = page.headers["Content-Security-Policy"]
    assert "img-src 'self' data: blob:;" in csp
    assert client.get("/console/static/vendor/leaflet/leaflet.js").status_code == 200
    assert client.get("/console/static/vendor/leaflet/images/marker-icon.png").status_code == 200


def test_configured_map_tiles_reach_the_page_and_the_policy(app, client):
    app.config["CONSOLE_MAP_TILES"] = "https://{s}.tile.example.org/{z}/{x}/{y}.png"
    app.config["CONSOLE_MAP_ATTRIBUTION"] = "© Example contributors"
    page = client.get("/console/")
    assert b'data-tiles="https://{s}.tile.example.org/{z}/{x}/{y}.png"' in page.data
    assert "© Example contributors".encode() in page.data
    assert "img-src 'self' data: blob: https://*.tile.example.org;" in page.headers["Content-Security-Policy"]


def test_the_parking_and_reports_screens_are_declared_for_their_roles(client):
    page = client.get("/console/parking")
    assert page.status_code == 200 and b'data-screen-roles="operator"' in page.data
    reports = client.get("/console/reports")
    assert reports.status_code == 200 and b'data-screen-roles="operator safety_officer reception"' in reports.data
    assert b'value="alerts"' in reports.data  # the export form lists the registered datasets
