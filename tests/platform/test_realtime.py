"""Socket.IO rules: optional JWT, channel validation, staff-only channels, acks, snapshots."""

import pytest

from app.core import places
from app.extensions import socketio
from app.realtime import snapshots
from tests.conftest import bearer


@pytest.fixture(autouse=True)
def _temples(monkeypatch):
    """A stand-in temple registry (the temples domain installs the real one)."""
    monkeypatch.setattr(places, "_resolver", lambda ref: (1, "somnath") if ref in (1, "somnath") else None)


def test_anonymous_joins_public_channels_with_ack(app):
    client = socketio.test_client(app)
    assert client.is_connected()
    assert client.emit("subscribe", {"channel": "parking"}, callback=True) == {"ok": True, "room": "parking"}
    ack = client.emit("subscribe", {"channel": "crowd", "temple_id": "somnath", "zone": "museum"}, callback=True)
    assert ack == {"ok": True, "room": "crowd:t1:zmuseum"}
    assert client.emit("unsubscribe", {"channel": "parking"}, callback=True) == {"ok": True, "room": "parking"}


def test_invalid_subscriptions_get_error_acks(app):
    client = socketio.test_client(app)
    for bad in ({"channel": "nope"}, "crowd", {"channel": "crowd", "temple_id": "atlantis"},
                {"channel": "crowd", "zone": "museum"}, {"channel": "crowd", "temple_id": True}):
        ack = client.emit("subscribe", bad, callback=True)
        assert ack["ok"] is False and ack["error"] == "validation_error", bad


def test_staff_only_channels_refuse_anonymous_and_users(app, make_user):
    anonymous = socketio.test_client(app)
    user = socketio.test_client(app, auth={"token": bearer(make_user())["Authorization"][7:]})
    officer = socketio.test_client(app, auth={"token": bearer(make_user("safety_officer"))["Authorization"][7:]})
    for client in (anonymous, user):
        for channel in ("emergency", "signs"):
            ack = client.emit("subscribe", {"channel": channel}, callback=True)
            assert ack == {"ok": False, "error": "forbidden", "message": "This channel is for staff only."}
    assert officer.emit("subscribe", {"channel": "emergency"}, callback=True)["ok"] is True
    assert officer.emit("subscribe", {"channel": "signs"}, callback=True)["ok"] is False  # operators only


def test_bad_token_is_refused_at_connect(app):
    client = socketio.test_client(app, auth={"token": "garbage"})
    assert not client.is_connected()


def test_snapshot_sent_at_once_to_new_subscriber(app, monkeypatch):
    monkeypatch.setitem(snapshots._providers, "crowd",
                        lambda scope: {"temple_id": scope["temple_id"], "zones": [], "snapshot": True})
    client = socketio.test_client(app)
    client.emit("subscribe", {"channel": "crowd", "temple_id": 1}, callback=True)
    [event] = client.get_received()
    assert event["name"] == "crowd_update" and event["args"][0]["snapshot"] is True
