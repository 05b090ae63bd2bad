"""Parking fixtures: an admin, lots made through the API, a driver who parks."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, bearer

LOTS = "/api/v1/parking/lots"
RESERVATIONS = "/api/v1/parking/reservations"


def lot_body(**overrides) -> dict:
    body = {"name": "Somnath Temple Parking", "address": "Somnath Temple Road, Veraval", "pin_code": "362268",
            "price_per_hour": "30.00", "total_spots": 3}
    return {**body, **overrides}


@pytest.fixture
def admin(make_user):
    return make_user("admin")


@pytest.fixture
def admin_headers(admin):
    return bearer(admin)


@pytest.fixture
def make_lot(client, admin_headers):
    """make_lot(total_spots=3, price_per_hour="30.00", ...) -> the created lot's JSON."""

    def _make(**overrides) -> dict:
        r = client.post(LOTS, json=lot_body(**overrides), headers=admin_headers)
        assert r.status_code == 201, r.get_json()
        return r.get_json()

    return _make


@pytest.fixture
def park(client):
    """park(headers, lot_id, vehicle="GJ11AB1234") -> the response."""

    def _park(headers: dict, lot_id: int, vehicle: str = "GJ11AB1234", **kwargs):
        return client.post(RESERVATIONS, json={"lot_id": lot_id, "vehicle_number": vehicle}, headers=headers,
                           **kwargs)

    return _park


@pytest.fixture
def make_driver(app):
    """make_driver("Asha Patel") -> a new user (role user) with that name."""
    from app.auth import service

    def _make(full_name: str, role: str = "user"):
        email = full_name.lower().replace(" ", ".") + "@example.in"
        return service.register_user(email=email, password=PASSWORD, full_name=full_name, role=role)

    return _make


@pytest.fixture
def mail_and_chat(app, monkeypatch):
    """A real SMTP server and a chat webhook receiver wired into the config: yields (smtp, hook)."""
    from tests.platform.servers import SMTPServer, WebhookServer

    monkeypatch.setitem(app.config, "NOTIFY_BACKOFF_SECONDS", 0)
    with SMTPServer() as smtp, WebhookServer() as hook:
        monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
        monkeypatch.setitem(app.config, "SMTP_PORT", smtp.port)
        monkeypatch.setitem(app.config, "CHAT_WEBHOOK_URLS", [hook.url])
        yield smtp, hook
