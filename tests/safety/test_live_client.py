"""A real python-socketio client on the served demo receives `emergency` when a pilgrim raises an SOS (PW-14)."""

from __future__ import annotations

import threading

import requests
import socketio

from tests.safety.serving import login


def test_a_real_client_on_the_emergency_channel_receives_the_sos(served):
    received, got = [], threading.Event()
    client = socketio.Client(reconnection=False)

    @client.on("emergency")
    def on_emergency(data):
        received.append(data)
        if not data.get("snapshot"):
            got.set()

    client.connect(served, auth={"token": login(served, "safety_officer")}, transports=["websocket"],
                   wait_timeout=10)
    try:
        ack = client.call("subscribe", {"channel": "emergency", "temple_id": "somnath"}, timeout=10)
        assert ack["ok"] is True and ack["room"].startswith("emergency:t")
        r = requests.post(f"{served}/api/v1/safety/sos", timeout=5,
                          headers={"Authorization": f"Bearer {login(served, 'user')}"},
                          json={"type": "fire", "lat": 20.8882, "lng": 70.4015, "temple": "somnath"})
        assert r.status_code == 201, r.text
        assert got.wait(10), "no emergency event arrived"
    finally:
        client.disconnect()
    snapshot, live = received[0], received[-1]
    assert snapshot["snapshot"] is True and any(i["severity"] == "critical" for i in snapshot["incidents"])
    assert live["code"] == r.json()["code"] and live["status"] == "reported" and live["type"] == "fire"
    assert live["primary"] is not None  # the demo's open SOS at Somnath is a few metres away: linked
