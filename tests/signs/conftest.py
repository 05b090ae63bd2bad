"""Signs fixtures: the domain wired into the test app, signs with keys, sockets for signs and operators."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.timeutil import utcnow
from app.extensions import socketio
from app.signs import service
from app.temples import service as temples
from tests.conftest import bearer


@pytest.fixture(autouse=True)
def _frozen(request):
    """Every signs test runs on the root clock (moved with ``advance``), unless it asks for ``real_clock``."""
    if "real_clock" in request.fixturenames:
        return None
    return request.getfixturevalue("clock")


@pytest.fixture
def real_clock():
    """Run on the real clock: the rate limiter's windows follow real time."""


def advance(clock, seconds: float) -> None:
    """Move the clock ``seconds`` past now (freezegun's tick() would drop the real time already elapsed)."""
    clock.move_to(utcnow() + timedelta(seconds=seconds))


@pytest.fixture(autouse=True)
def _default_templates(db_session):
    """The 17 default templates, put back when a committed test elsewhere emptied every table."""
    service.ensure_default_templates()


@pytest.fixture(autouse=True)
def _no_background_sweeper(app, monkeypatch):
    """Tests run the sweep themselves, on the frozen clock."""
    monkeypatch.setitem(app.config, "SIGNS_SWEEPER", False)


@pytest.fixture
def operator(make_user):
    return make_user("operator")


@pytest.fixture
def make_sign():
    """make_sign("Gate 1", zone="gate", group="north") -> (sign view, device key)."""
    counter = {"n": 0}

    def _make(name: str | None = None, *, zone: str = "mainGate", group: str | None = None, lat: float = 20.8880,
              lng: float = 70.4013, temple: str | None = None):
        counter["n"] += 1
        return service.register_sign(name=name or f"Sign {counter['n']}", zone=zone, group=group, lat=lat, lng=lng,
                                     temple=temple)

    return _make


@pytest.fixture
def connect_sign(app):
    """connect_sign(key) -> a Socket.IO test client connected to /signs as that sign."""
    clients = []

    def _connect(key: str):
        client = socketio.test_client(app, namespace="/signs", auth={"device_key": key})
        clients.append(client)
        return client

    yield _connect
    for client in clients:
        if client.is_connected("/signs"):
            client.disconnect("/signs")


@pytest.fixture
def operator_socket(app, operator):
    """A Socket.IO client of an operator subscribed to the `signs` channel (snapshot drained)."""
    client = socketio.test_client(app, auth={"token": bearer(operator)["Authorization"][7:]})
    assert client.emit("subscribe", {"channel": "signs"}, callback=True)["ok"] is True
    client.get_received()
    yield client
    client.disconnect()


@pytest.fixture
def temple(app):
    zones = [{"slug": "mainDarshan", "name": "Main darshan", "capacity": 100},
             {"slug": "garbhaGriha", "name": "Garbha griha", "capacity": 20},
             {"slug": "museum", "name": "Museum", "capacity": 50}]
    return temples.create_temple(slug="somnath", name="Shree Somnath", location="Veraval", lat=20.8880, lng=70.4013,
                                 code_prefix="SOM", zones=zones)


def received(client, namespace: str | None = None) -> list[tuple[str, dict]]:
    """(event name, first argument) of everything a test client received since last asked."""
    return [(e["name"], e["args"][0] if e["args"] else None) for e in client.get_received(namespace)]


def names(client, namespace: str | None = None) -> list[str]:
    return [name for name, _ in received(client, namespace)]
