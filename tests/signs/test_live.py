"""Real python-socketio clients, a sign and an operator, against the app served over HTTP (CA-1 … CA-4).

The app runs in a thread of this process (werkzeug, Socket.IO in threading mode) on committed data;
the sweeper runs as in production, every second, so an override's expiry reverts it by itself. The
test thread ends its session after each step (``done``): on SQLite an open transaction would hold
the write lock the server needs.
"""

from __future__ import annotations

import queue
import threading
import time
from datetime import timedelta

import pytest
import socketio
from werkzeug.serving import make_server

from app.core.timeutil import utcnow
from app.extensions import db
from app.signs import service, sweeper
from tests.conftest import bearer
from tests.platform.servers import free_port

pytestmark = pytest.mark.usefixtures("committed_db")
SIGN_EVENTS = ("new_message", "override", "override_cancelled", "ping", "request_status")
OPERATOR_EVENTS = ("sign_connected", "sign_disconnected", "sign_update", "message_ack", "override_activated",
                   "override_cancelled", "message_sent")


def done(value):
    """Return ``value`` once the test thread's session is closed."""
    db.session.remove()
    return value


@pytest.fixture(scope="module")
def base_url(app):
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with pytest.MonkeyPatch.context() as patch:
        server_ = app.extensions["socketio"].server
        patch.setattr(server_.eio, "cors_allowed_origins", [*server_.eio.cors_allowed_origins, base])  # its own origin
        for name in ("_send_packet", "_send_eio_packet"):  # Flask-SocketIO's test client replaces them for good
            if name in vars(server_):
                patch.delattr(server_, name)
        patch.setattr(server_, "async_handlers", True)
        patch.setattr(server_.eio, "async_handlers", True)
        yield base
    server.shutdown()


@pytest.fixture
def live_sweeper(app, monkeypatch):
    monkeypatch.setitem(app.config, "SIGNS_SWEEPER", True)
    monkeypatch.setitem(app.config, "SIGNS_SWEEP_SECONDS", 1)
    yield
    sweeper.stop(app)


class Listener:
    """A python-socketio client recording the events it is told to listen for."""

    def __init__(self, events, namespace="/"):
        self.client = socketio.Client(reconnection=False)
        self.inbox: queue.Queue = queue.Queue()
        for name in events:
            self.client.on(name, self._recorder(name), namespace=namespace)

    def _recorder(self, name):
        return lambda data=None: self.inbox.put((name, data))

    def next(self, name: str, timeout: float = 5.0):
        """The next event called ``name`` (others before it are dropped)."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                got, data = self.inbox.get(timeout=left)
            except queue.Empty:
                break
            if got == name:
                return data
        raise AssertionError(f"no {name} within {timeout}s")


@pytest.fixture
def clients():
    made = []
    yield made
    for listener in made:
        listener.client.disconnect()


def sign_client(base_url, key, clients) -> Listener:
    listener = Listener(SIGN_EVENTS, namespace="/signs")
    listener.client.connect(base_url, namespaces=["/signs"], auth={"device_key": key}, transports=["websocket"],
                            wait_timeout=5)
    clients.append(listener)
    return listener


def operator_client(base_url, user, clients) -> Listener:
    listener = Listener(OPERATOR_EVENTS)
    token = done(bearer(user)["Authorization"][7:])
    listener.client.connect(base_url, auth={"token": token}, transports=["websocket"], wait_timeout=5)
    assert listener.client.call("subscribe", {"channel": "signs"}, timeout=5)["ok"] is True
    clients.append(listener)
    return listener


def test_a_real_sign_and_operator_see_each_other(base_url, make_sign, make_user, clients):  # CA-1 … CA-4
    view, key = done(make_sign("Triveni ghat", zone="ghat"))
    done(service.send_message(targets={"zones": ["ghat"]}, text="Aarti at 7 pm"))
    operator = operator_client(base_url, make_user("operator"), clients)
    sign = sign_client(base_url, key, clients)
    assert sign.next("new_message")["text"] == "Aarti at 7 pm"  # what it must show, at once
    assert operator.next("sign_connected")["id"] == view["id"]
    ack = sign.client.call("heartbeat", {"battery": 67, "crowd_count": 40}, namespace="/signs", timeout=5)
    assert ack == {"ok": True, "status": "online"}
    assert operator.next("sign_update")["battery"] == 67
    override = done(service.create_override(targets={"all": True}, severity="critical", text="Evacuate the ghat"))
    assert sign.next("override")["id"] == override["id"]
    assert operator.next("override_activated")["id"] == override["id"]
    assert sign.client.call("ack", {"override_id": override["id"]}, namespace="/signs", timeout=5)["ok"] is True
    assert operator.next("message_ack")["override_id"] == override["id"]
    sign.client.disconnect()
    assert operator.next("sign_disconnected")["status"] == "offline"


def test_a_bad_key_is_refused(base_url, make_sign):  # CA-2
    done(make_sign())
    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(base_url, namespaces=["/signs"], auth={"device_key": "sk_nope"}, transports=["websocket"],
                       wait_timeout=5)


def test_garbage_from_one_sign_leaves_the_others_alone(base_url, make_sign, clients):  # CA-2
    _, bad_key = done(make_sign("Faulty"))
    _, good_key = done(make_sign("Fine"))
    faulty, fine = sign_client(base_url, bad_key, clients), sign_client(base_url, good_key, clients)
    for garbage in ("x" * 5000, [None], {"battery": -1}, 7):
        assert faulty.client.call("heartbeat", garbage, namespace="/signs", timeout=5)["ok"] is False
    done(service.send_message(targets={"all": True}, text="Still here"))
    assert fine.next("new_message")["text"] == "Still here"
    assert faulty.client.connected and fine.client.connected


def test_an_override_reverts_by_itself_within_seconds(base_url, make_sign, clients, live_sweeper):  # CA-4
    _, key = done(make_sign(zone="ghat"))
    done(service.send_message(targets={"all": True}, text="Welcome"))
    sign = sign_client(base_url, key, clients)
    sign.next("new_message")
    override = done(service.create_override(targets={"all": True}, severity="warning", text="Hold here",
                                            expires_at=utcnow() + timedelta(seconds=2)))
    assert sign.next("override")["expires_in"] == 2
    started = time.monotonic()
    cancelled = sign.next("override_cancelled", timeout=6)
    assert cancelled["id"] == override["id"] and cancelled["reason"] == "expired"
    assert [m["text"] for m in cancelled["showing"]["messages"]] == ["Welcome"]
    assert time.monotonic() - started < 4.5  # expiry (2 s) plus at most one sweep interval and a margin
