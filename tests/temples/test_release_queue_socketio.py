"""``booking_result`` on Socket.IO with a real python-socketio client against a served app (issue 14); both modes.

The app is served over real HTTP/WebSocket (werkzeug, threads); data is committed (``committed_db``). Each
client connects to namespace ``/queue`` with its signed ticket and gets its own result only.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
import requests
import socketio
from werkzeug.serving import make_server

from app.core.timeutil import utcnow
from app.extensions import db
from app.extensions import socketio as flask_socketio
from app.temples import service
from app.temples.service.admission import AdmissionThread
from tests.conftest import bearer
from tests.platform.servers import free_port

pytestmark = pytest.mark.usefixtures("queue")


@pytest.fixture(autouse=True)
def _frozen():
    """Real time here: Engine.IO's long-polling and ping timers run in the server's threads."""


@pytest.fixture
def served(app, committed_db, monkeypatch):
    """The test app served on a free port; yields its base URL."""
    for name in ("_send_packet", "_send_eio_packet"):  # Flask-SocketIO's test client captures these process-wide
        if name in vars(socketio_server()):
            monkeypatch.delattr(socketio_server(), name)
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(10)


def _open_release(make_user, *, capacity: int, people: int) -> tuple[int, int, list[dict]]:
    service.create_temple(slug="pavagadh", name="Pavagadh", location="Pavagadh", lat=22.46, lng=73.51,
                          code_prefix="PAV", zones=[])
    day = (utcnow() + timedelta(days=1)).date()
    [slot] = service.generate_slots(temple_slug="pavagadh", date_from=day, date_to=day,
                                    start_time=utcnow().time().replace(hour=9, minute=0, second=0, microsecond=0),
                                    end_time=utcnow().time().replace(hour=10, minute=0, second=0, microsecond=0),
                                    slot_minutes=60, capacity=capacity)
    release = service.create_release(temple_slug="pavagadh", name="Navratri", opens_at=utcnow(), slot_ids=[slot.id])
    service.open_release(release_id=release.id)
    headers = [bearer(make_user()) for _ in range(people)]
    ids = release.id, slot.id
    db.session.remove()
    return *ids, headers


def socketio_server():
    return flask_socketio.server


class Watcher:
    """A python-socketio client watching one ticket on /queue; collects what it is told."""

    def __init__(self, base: str, ticket: str):
        self.results, self.status, self.got = [], [], threading.Event()
        self.client = socketio.Client(reconnection=False)
        self.client.on("booking_result", self._result, namespace="/queue")
        self.client.on("queue_status", self.status.append, namespace="/queue")
        self.client.connect(base, namespaces=["/queue"], auth={"ticket": ticket}, wait_timeout=20)

    def _result(self, data):
        self.results.append(data)
        self.got.set()

    def close(self):
        self.client.disconnect()


def _enqueue(base: str, slot_id: int, headers: dict) -> dict:
    r = requests.post(f"{base}/api/v1/bookings", json={"slot_id": slot_id, "party_size": 1}, headers=headers,
                      timeout=10)
    assert r.status_code == 202, r.text
    return r.json()


def _wait(check, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not check():
        time.sleep(0.05)
    return check()


def test_each_client_gets_its_own_result_and_sold_out_reaches_the_rest(app, served, make_user):
    release_id, slot_id, headers = _open_release(make_user, capacity=1, people=3)
    tickets = [_enqueue(served, slot_id, h) for h in headers]
    watchers = [Watcher(served, t["ticket"]) for t in tickets]
    try:
        assert _wait(lambda: all(w.status for w in watchers))
        assert [w.status[0]["position"] for w in watchers] == [1, 2, 3]  # told where they stand on connecting
        service.admit_waiting(release_id=release_id, batch=1)  # one seat: sold out after the first
        db.session.remove()
        assert all(w.got.wait(20) for w in watchers)
        time.sleep(0.3)  # anything else on its way would arrive now
        assert [len(w.results) for w in watchers] == [1, 1, 1]
        assert [w.results[0]["ticket"] for w in watchers] == [t["ticket"] for t in tickets]  # only its own
        assert watchers[0].results[0]["status"] == "admitted" and watchers[0].results[0]["booking"]["code"]
        assert [(w.results[0]["status"], w.results[0]["error"]) for w in watchers[1:]] == [("rejected",
                                                                                            "sold_out")] * 2
        polled = requests.get(f"{served}/api/v1/bookings/queue/{tickets[0]['ticket']}", timeout=10).json()
        assert polled["booking"] == watchers[0].results[0]["booking"]  # the same JSON as the REST resource
    finally:
        for w in watchers:
            w.close()


def test_a_forged_ticket_is_refused_and_a_late_watcher_gets_the_result_at_once(app, served, make_user):
    release_id, slot_id, headers = _open_release(make_user, capacity=5, people=1)
    ticket = _enqueue(served, slot_id, headers[0])
    with pytest.raises(socketio.exceptions.ConnectionError):
        Watcher(served, ticket["ticket"][:-3] + "xyz")
    service.admit_waiting(release_id=release_id)
    db.session.remove()
    late = Watcher(served, ticket["ticket"])  # connected after the result: not missed
    try:
        assert late.got.wait(10) and late.results[0]["status"] == "admitted"
    finally:
        late.close()


def test_the_in_process_admitter_serves_the_queue_by_itself(app, served, make_user, monkeypatch):
    release_id, slot_id, headers = _open_release(make_user, capacity=10, people=4)
    monkeypatch.setitem(app.config, "RELEASE_ADMITTER", "thread")
    try:
        tickets = [_enqueue(served, slot_id, h) for h in headers]
        results = [requests.get(f"{served}/api/v1/bookings/queue/{t['ticket']}", timeout=10).json() for t in tickets]
        assert _wait(lambda: all(requests.get(f"{served}/api/v1/bookings/queue/{t['ticket']}", timeout=10)
                                 .json()["status"] == "admitted" for t in tickets)), results
    finally:
        AdmissionThread.stop(app)
