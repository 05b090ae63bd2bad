"""Overrides (CA-4): priority over messages, cancel, auto-revert at expiry, acknowledgements, proposals."""

from datetime import timedelta

import pytest

from app.core.errors import InvalidTransition, ValidationFailed
from app.core.timeutil import utcnow
from app.signs import service
from tests.signs.conftest import advance, names, received


@pytest.fixture
def ghat(make_sign, connect_sign):
    """Two connected signs in zone `ghat` showing a message, and one elsewhere: (views, clients)."""
    views, clients = [], []
    for zone in ("ghat", "ghat", "gate"):
        view, key = make_sign(zone=zone)
        views.append(view)
        clients.append(connect_sign(key))
    service.send_message(targets={"zones": ["ghat"]}, text="Aarti at 7 pm")
    for client in clients:
        client.get_received("/signs")
    return views, clients


def test_an_override_takes_over_its_signs_and_operators_see_it(ghat, operator_socket):  # CA-3, CA-4
    views, clients = ghat
    operator_socket.get_received()
    override = service.create_override(targets={"zones": ["ghat"]}, severity="critical", template="emergency_shelter",
                                       params={"shelter": "the temple hall"})
    for client in clients[:2]:
        [(event, pushed)] = received(client, "/signs")
        assert event == "override" and pushed["text"].startswith("Take shelter now at the temple hall")
        assert pushed["severity"] == "critical" and pushed["expires_at"] is None
    assert names(clients[2], "/signs") == []
    [(event, payload)] = received(operator_socket)
    assert event == "override_activated" and payload["signs"] == 2 and payload["sent"] == 2
    showing = service.sign_detail(sign_id=views[0]["id"])["showing"]
    assert showing["override"]["id"] == override["id"] and showing["message"]["text"] == "Aarti at 7 pm"


def test_cancel_sends_signs_back_to_what_they_showed(ghat, operator_socket):  # CA-4
    views, clients = ghat
    override = service.create_override(targets={"zones": ["ghat"]}, severity="warning", text="Ghat closed")
    for client in clients:
        client.get_received("/signs")
    operator_socket.get_received()
    cancelled = service.cancel_override(override_id=override["id"])
    assert cancelled["status"] == "cancelled" and cancelled["ended_at"]
    for client in clients[:2]:
        [(event, pushed)] = received(client, "/signs")
        assert event == "override_cancelled" and pushed["override_id"] == override["id"]
        assert pushed["reason"] == "cancelled" and pushed["showing"]["override"] is None
        assert [m["text"] for m in pushed["showing"]["messages"]] == ["Aarti at 7 pm"]
    [(event, payload)] = received(operator_socket)
    assert event == "override_cancelled" and payload["status"] == "cancelled"
    assert service.sign_detail(sign_id=views[0]["id"])["showing"]["override"] is None
    with pytest.raises(InvalidTransition):
        service.cancel_override(override_id=override["id"])


def test_an_override_reverts_by_itself_at_expiry(clock, ghat, operator_socket):  # CA-4
    views, clients = ghat
    expires_at = utcnow() + timedelta(minutes=5)
    override = service.create_override(targets={"all": True}, severity="info", text="Drone show", expires_at=expires_at)
    assert received(clients[0], "/signs")[0][1]["expires_in"] == 300
    operator_socket.get_received()
    clock.move_to(expires_at - timedelta(seconds=1))
    assert service.sweep()["expired"] == 0
    clock.move_to(expires_at + timedelta(seconds=1))
    assert service.sweep()["expired"] == 1
    assert service.sweep()["expired"] == 0
    for client in clients:
        event, pushed = received(client, "/signs")[-1]
        assert event == "override_cancelled" and pushed["reason"] == "expired"
    assert ("override_cancelled", "expired") in [(n, p.get("status")) for n, p in received(operator_socket)]
    assert service.override_detail(override_id=override["id"])["status"] == "expired"
    assert service.sign_detail(sign_id=views[0]["id"])["showing"]["message"]["text"] == "Aarti at 7 pm"


def test_the_highest_override_wins_and_the_next_returns_after_it(ghat):  # CA-4
    views, clients = ghat
    info = service.create_override(targets={"all": True}, severity="info", text="Parade at 5")
    critical = service.create_override(targets={"zones": ["ghat"]}, severity="critical", text="Evacuate")
    warning = service.create_override(targets={"all": True}, severity="warning", text="Heavy rain")
    assert service.sign_detail(sign_id=views[0]["id"])["showing"]["override"]["id"] == critical["id"]
    assert service.sign_detail(sign_id=views[2]["id"])["showing"]["override"]["id"] == warning["id"]
    for client in clients:
        client.get_received("/signs")
    service.cancel_override(override_id=critical["id"])
    [(event, pushed)] = received(clients[0], "/signs")
    assert pushed["showing"]["override"]["id"] == warning["id"]
    service.cancel_override(override_id=warning["id"])
    assert received(clients[2], "/signs")[0][1]["showing"]["override"]["id"] == info["id"]


def test_an_override_not_acknowledged_in_time_is_flagged_once(app, clock, ghat, operator_socket):  # CA-3
    views, clients = ghat
    override = service.create_override(targets={"zones": ["ghat"]}, severity="critical", text="Evacuate")
    assert clients[0].emit("ack", {"override_id": override["id"]}, namespace="/signs", callback=True)["ok"] is True
    for client in clients:
        client.emit("heartbeat", {}, namespace="/signs", callback=True)
    operator_socket.get_received()
    advance(clock, app.config["SIGNS_ACK_TIMEOUT_SECONDS"] - 2)
    assert service.sweep()["flagged"] == 0
    advance(clock, 3)
    assert service.sweep()["flagged"] == 1
    assert service.sweep()["flagged"] == 0
    [(event, payload)] = received(operator_socket)
    assert event == "override_unacknowledged" and payload["override_id"] == override["id"]
    assert payload["sign_id"] == views[1]["id"]
    detail = service.override_detail(override_id=override["id"])
    assert (detail["acknowledged"], detail["flagged"]) == (1, 1)
    assert [d["flagged"] for d in detail["deliveries"]] == [False, True]


def test_a_proposal_waits_for_one_click(ghat, operator_socket):  # CA-4
    views, clients = ghat
    operator_socket.get_received()
    proposal = service.create_override(targets={"zones": ["ghat"]}, severity="warning", text="Use gate 3",
                                       propose=True)
    assert proposal["status"] == "proposed" and proposal["signs"] == 0
    assert names(clients[0], "/signs") == [] and names(operator_socket) == ["override_proposed"]
    approved = service.approve_override(override_id=proposal["id"])
    assert approved["status"] == "active" and approved["signs"] == 2
    assert names(clients[0], "/signs") == ["override"] and names(operator_socket) == ["override_activated"]
    with pytest.raises(InvalidTransition):
        service.approve_override(override_id=proposal["id"])


def test_override_input_is_checked(make_sign):
    make_sign()
    with pytest.raises(ValidationFailed) as caught:
        service.create_override(targets={"all": True}, severity="info", text="x",
                                expires_at=utcnow() - timedelta(seconds=1))
    assert "expires_at" in caught.value.errors
    with pytest.raises(ValidationFailed):
        service.create_override(targets={"zones": ["nowhere"]}, severity="info", text="x")
    assert service.list_overrides() == []


def test_a_safety_broadcast_overrides_the_area_and_counts_acks(temple, make_sign, connect_sign):  # CA-4
    inside, key = make_sign(temple="somnath", zone="mainDarshan")
    make_sign(temple="somnath", zone="museum")
    make_sign(zone="parking")
    client = connect_sign(key)
    client.get_received("/signs")
    result = service.broadcast_override(severity="critical", title="Fire", message="Leave by the east gate",
                                        scope="zone", temple="somnath", zone="mainDarshan")
    assert (result["signs"], result["sent"], result["acknowledged"], result["status"]) == (1, 1, 0, "active")
    [(event, pushed)] = received(client, "/signs")
    assert event == "override" and pushed["title"] == "Fire" and pushed["text"] == "Leave by the east gate"
    client.emit("ack", {"override_id": result["id"]}, namespace="/signs", callback=True)
    assert service.override_detail(override_id=result["id"])["acknowledged"] == 1
    assert service.broadcast_override(severity="warning", title="Heat", message="Drink water",
                                      scope="temple", temple="somnath")["signs"] == 2
    assert service.broadcast_override(severity="info", title="Info", message="Hello", scope="city")["signs"] == 3
    assert service.broadcast_override(severity="info", title="Info", message="Hello", scope="temple",
                                      temple="dwarka") == {"id": None, "status": None, "signs": 0, "sent": 0,
                                                           "acknowledged": 0, "flagged": 0, "expires_at": None}
