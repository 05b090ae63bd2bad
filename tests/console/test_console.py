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
