"""Socket.IO rules: optional JWT, channels declared by domains, staff-only channels, acks, snapshots."""

import pytest

from app.core import domain
from app.core.domain import Channel, Domain
from app.extensions import socketio
from tests.conftest import bearer
from tests.factories.temples import TempleFactory, ZoneFactory


@pytest.fixture
def somnath(app):
    temple = TempleFactory(slug="somnath")
    ZoneFactory(temple=temple, slug="museum")
    return temple.id


@pytest.fixture
def staff_channel(monkeypatch):
    """A throw-away domain declaring a channel for operators only (the mechanism, not a real domain's)."""
    declared = Domain(name="drill", title="Drill", package="app.core",
                      channels=(Channel("drill", events=("drill_update",), roles=("operator",)),))
    monkeypatch.setitem(domain._domains, "drill", declared)


def test_anonymous_joins_public_channels_with_ack(app, somnath):
    client = socketio.test_client(app)
    assert client.is_connected()
    assert client.emit("subscribe", {"channel": "parking"}, callback=True) == {"ok": True, "room": "parking"}
    ack = client.emit("subscribe", {"channel": "crowd", "temple_id": "somnath", "zone": "museum"}, callback=True)
    assert ack == {"ok": True, "room": f"crowd:t{somnath}:zmuseum"}
    assert client.emit("unsubscribe", {"channel": "parking"}, callback=True) == {"ok": True, "room": "parking"}


def test_invalid_subscriptions_get_error_acks(app, somnath):
    client = socketio.test_client(app)
    for bad in ({"channel": "nope"}, "crowd", {"channel": "crowd", "temple_id": "atlantis"},
                {"channel": "crowd", "zone": "museum"}, {"channel": "crowd", "temple_id": True}):
        ack = client.emit("subscribe", bad, callback=True)
        assert ack["ok"] is False and ack["error"] == "validation_error", bad


def test_staff_only_channels_refuse_anonymous_and_other_roles(app, make_user, staff_channel):
    anonymous = socketio.test_client(app)
    user = socketio.test_client(app, auth={"token": bearer(make_user())["Authorization"][7:]})
    officer = socketio.test_client(app, auth={"token": bearer(make_user("safety_officer"))["Authorization"][7:]})
    operator = socketio.test_client(app, auth={"token": bearer(make_user("operator"))["Authorization"][7:]})
    admin = socketio.test_client(app, auth={"token": bearer(make_user("admin"))["Authorization"][7:]})
    for client in (anonymous, user, officer):
        ack = client.emit("subscribe", {"channel": "drill"}, callback=True)
        assert ack == {"ok": False, "error": "forbidden", "message": "This channel is for staff only."}
    for client in (operator, admin):
        assert client.emit("subscribe", {"channel": "drill"}, callback=True) == {"ok": True, "room": "drill"}


def test_bad_token_is_refused_at_connect(app):
    client = socketio.test_client(app, auth={"token": "garbage"})
    assert not client.is_connected()


def test_snapshot_sent_at_once_to_new_subscriber(app, somnath):
    client = socketio.test_client(app)
    client.emit("subscribe", {"channel": "crowd", "temple_id": somnath}, callback=True)
    [event] = client.get_received()
    assert event["name"] == "crowd_update" and event["args"][0]["snapshot"] is True
    assert [z["zone"] for z in event["args"][0]["zones"]] == ["museum"]
