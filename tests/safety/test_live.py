"""Live incidents over Socket.IO (PW-14, SC-9): staff on the `emergency` channel get every new incident and step
of their temple or zone after commit, with a snapshot on subscribing; the public `city` channel's emergency room
gets a summary; pilgrims cannot listen to the emergency channel."""

from __future__ import annotations

import pytest

from app.extensions import socketio
from tests.conftest import bearer
from tests.factories.safety import UnitFactory
from tests.safety.conftest import SOMNATH

API = "/api/v1/safety"
SOS = {"type": "medical", "lat": SOMNATH[0], "lng": SOMNATH[1], "temple": "somnath", "zone": "mainDarshan"}


def socket_of(app, headers=None):
    token = headers["Authorization"][7:] if headers else None
    return socketio.test_client(app, auth={"token": token} if token else None)


def emergencies(client) -> list[dict]:
    return [e["args"][0] for e in client.get_received() if e["name"] == "emergency"]


@pytest.fixture
def staff(person):
    """Authorization headers of an officer, an operator and a pilgrim (socket handlers end the session)."""
    return {"officer": bearer(person("safety_officer", "Meera Joshi")),
            "operator": bearer(person("operator", "Kiran Desai")), "pilgrim": bearer(person("user", "Asha Patel"))}


def test_staff_see_a_new_sos_and_each_step_live(app, client, staff, somnath):  # PW-14
    somnath_id = somnath.id
    zone, other_zone = socket_of(app, staff["operator"]), socket_of(app, staff["officer"])
    assert zone.emit("subscribe", {"channel": "emergency", "temple_id": "somnath", "zone": "mainDarshan"},
                     callback=True) == {"ok": True, "room": f"emergency:t{somnath_id}:zmainDarshan"}
    other_zone.emit("subscribe", {"channel": "emergency", "temple_id": "somnath", "zone": "garbhaGriha"},
                    callback=True)
    assert emergencies(zone) == [{"snapshot": True, "incidents": []}]
    other_zone.get_received()
    code = client.post(f"{API}/sos", json=SOS, headers=staff["pilgrim"]).get_json()["code"]
    client.post(f"{API}/incidents/{code}/acknowledge", json={"note": "Team on the way"},
                headers=staff["operator"])
    live = emergencies(zone)
    assert [(e["code"], e["status"]) for e in live] == [(code, "reported"), (code, "acknowledged")]
    assert live[1]["timeline"][-1]["note"] == "Team on the way"
    assert emergencies(other_zone) == []


def test_a_new_subscriber_gets_the_open_incidents_at_once(app, client, staff, somnath):
    code = client.post(f"{API}/sos", json=SOS, headers=staff["pilgrim"]).get_json()["code"]
    board = socket_of(app, staff["officer"])
    board.emit("subscribe", {"channel": "emergency"}, callback=True)
    [snapshot] = emergencies(board)
    assert snapshot["snapshot"] is True and [i["code"] for i in snapshot["incidents"]] == [code]


def test_the_emergency_channel_is_for_responders_only(app, staff):
    for client in (socket_of(app), socket_of(app, staff["pilgrim"])):
        ack = client.emit("subscribe", {"channel": "emergency"}, callback=True)
        assert ack == {"ok": False, "error": "forbidden", "message": "This channel is for staff only."}


def test_a_dispatch_reaches_the_board_with_the_unit(app, client, staff, somnath):  # SC-7
    board = socket_of(app, staff["officer"])
    board.emit("subscribe", {"channel": "emergency", "temple_id": "somnath"}, callback=True)
    board.get_received()
    UnitFactory(name="108 A")
    code = client.post(f"{API}/sos", json=SOS, headers=staff["pilgrim"]).get_json()["code"]
    client.post(f"{API}/incidents/{code}/dispatch", json={}, headers=staff["officer"])
    last = emergencies(board)[-1]
    assert last["code"] == code and [u["name"] for u in last["units"]] == ["108 A"]


def test_the_city_emergency_room_gets_a_public_summary(app, client, staff, somnath, captured_events):  # SC-9
    from app.realtime.rooms import rooms_for_scope

    client.post(f"{API}/sos", json=SOS, headers=staff["pilgrim"])
    [alert] = [e for e in captured_events if e.socket_event == "emergency_alert"]
    assert (alert.channel, alert.scope) == ("city", {"module": "emergency", "severity": "critical"})
    assert {"city:emergency", "city:emergency:critical+", "city:*:warning+"} <= set(
        rooms_for_scope("city", alert.scope, "module"))
    assert alert.payload["temple"] == "somnath" and "description" not in alert.payload
