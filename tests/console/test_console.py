"""The console is served as a page with its assets; the root redirects to it."""


def test_console_page_and_assets(client):
    assert client.get("/").headers["Location"].endswith("/console/")
    page = client.get("/console/")
    assert page.status_code == 200 and b"Sangam" in page.data and b"console.js" in page.data
    assert client.get("/console/static/console.js").status_code == 200
    assert client.get("/console/static/console.css").status_code == 200
