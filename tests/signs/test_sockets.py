"""Signs on the /signs namespace (CA-1 … CA-4), through Flask-SocketIO's test client."""


from app.extensions import db, socketio
from app.signs import service
from app.signs.models import SignSample
from tests.signs.conftest import advance, names, received


def test_a_bad_or_missing_key_is_refused(app, make_sign, device_key):  # CA-2
    make_sign()
    for auth in ({"device_key": "sk_wrong"}, {}, None, {"device_key": 12}, {"device_key": device_key("sensor")}):
        client = socketio.test_client(app, namespace="/signs", auth=auth)
        assert not client.is_connected("/signs"), auth


def test_connect_and_disconnect_are_live_for_operators(make_sign, connect_sign, operator_socket):  # CA-1, CA-3
    view, key = make_sign("North gate")
    assert names(operator_socket) == ["sign_update"]  # the new sign
    sign = connect_sign(key)
    assert sign.is_connected("/signs")
    [(event, payload)] = received(operator_socket)
    assert event == "sign_connected" and payload["id"] == view["id"] and payload["status"] == "online"
    assert service.sign_detail(sign_id=view["id"])["status"] == "online"
    sign.disconnect("/signs")
    [(event, payload)] = received(operator_socket)
    assert event == "sign_disconnected" and payload["status"] == "offline"
    assert service.sign_detail(sign_id=view["id"])["status"] == "offline"


def test_operators_get_every_sign_when_they_subscribe(app, make_sign, operator):  # CA-1
    from tests.conftest import bearer

    make_sign("A", zone="ghat")
    make_sign("B", zone="ghat")
    client = socketio.test_client(app, auth={"token": bearer(operator)["Authorization"][7:]})
    client.emit("subscribe", {"channel": "signs"}, callback=True)
    [(event, snapshot)] = received(client)
    assert event == "sign_update" and snapshot["snapshot"] is True
    assert [s["name"] for s in snapshot["signs"]] == ["A", "B"]


def test_heartbeat_updates_the_sign_and_operators(make_sign, connect_sign, operator_socket):  # CA-2, CA-3
    view, key = make_sign()
    sign = connect_sign(key)
    operator_socket.get_received()
    ack = sign.emit("heartbeat", {"battery": 81, "signal_strength": 64, "crowd_density": 42.5, "crowd_count": 130},
                    namespace="/signs", callback=True)
    assert ack == {"ok": True, "status": "online"}
    [(event, payload)] = received(operator_socket)
    assert event == "sign_update"
    assert (payload["battery"], payload["signal_strength"], payload["crowd_density"], payload["crowd_count"]) == \
        (81, 64, 42.5, 130)
    sign.emit("heartbeat", {"battery": 80}, namespace="/signs", callback=True)
    detail = service.sign_detail(sign_id=view["id"])
    assert detail["battery"] == 80 and detail["crowd_count"] == 130  # a figure left out keeps its value


def test_heartbeats_are_sampled_not_stored_each_time(app, clock, make_sign, connect_sign):  # CA-2
    view, key = make_sign()
    sign = connect_sign(key)
    for battery in (90, 89, 88):
        sign.emit("heartbeat", {"battery": battery}, namespace="/signs", callback=True)
        advance(clock, 5)
    advance(clock, app.config["SIGNS_SAMPLE_SECONDS"])
    sign.emit("heartbeat", {"battery": 70}, namespace="/signs", callback=True)
    samples = service.sign_samples(sign_id=view["id"])
    assert [s.battery for s in samples] == [90, 70]
    assert db.session.query(SignSample).count() == 2


def test_malformed_messages_get_error_acks_and_keep_everyone_connected(make_sign, connect_sign):  # CA-2
    _, bad_key = make_sign("Faulty")
    good_view, good_key = make_sign("Fine")
    faulty, fine = connect_sign(bad_key), connect_sign(good_key)
    for bad in ("battery=5", [1, 2], {"battery": "high"}, {"battery": 140}, {"battery": 5.5},
                {"crowd_density": -1}, {"colour": "red"}, {"battery": True}, None):
        ack = faulty.emit("heartbeat", bad, namespace="/signs", callback=True)
        assert ack["ok"] is False and ack["code"] == 422 and ack["error"] == "validation_error", bad
        assert ack["message"]
    assert faulty.emit("heartbeat", {"battery": 140}, namespace="/signs", callback=True)["errors"] == \
        {"battery": ["Must be greater than or equal to 0 and less than or equal to 100."]}
    for bad in ({}, {"impressions": -3}, {"impressions": 3, "dwell": "long"}):
        assert faulty.emit("metrics", bad, namespace="/signs", callback=True)["ok"] is False, bad
    for bad in ({}, {"message_id": 1, "override_id": 2}, {"message_id": "1"}):
        assert faulty.emit("ack", bad, namespace="/signs", callback=True)["ok"] is False, bad
    assert faulty.is_connected("/signs") and fine.is_connected("/signs")
    assert fine.emit("heartbeat", {"battery": 50}, namespace="/signs", callback=True)["ok"] is True
    assert service.sign_detail(sign_id=good_view["id"])["battery"] == 50


def test_metrics_add_impressions(make_sign, connect_sign):  # CA-2
    view, key = make_sign()
    sign = connect_sign(key)
    assert sign.emit("metrics", {"impressions": 120, "dwell_seconds": 4.5}, namespace="/signs",
                     callback=True) == {"ok": True, "impressions": 120}
    assert sign.emit("metrics", {"impressions": 30}, namespace="/signs", callback=True)["impressions"] == 150
    assert service.sign_detail(sign_id=view["id"])["impressions"] == 150


def test_a_connecting_sign_gets_what_it_should_show_at_once(make_sign, connect_sign):  # CA-4
    view, key = make_sign(zone="ghat")
    service.send_message(targets={"zones": ["ghat"]}, text="Aarti at 7 pm")
    service.send_message(targets={"all": True}, template="wayfinding_restrooms",
                         params={"direction": "left", "distance_m": 50})
    override = service.create_override(targets={"sign_ids": [view["id"]]}, severity="warning", text="Gate closed")
    sign = connect_sign(key)
    got = received(sign, "/signs")
    assert [name for name, _ in got] == ["new_message", "new_message", "override"]
    assert {got[0][1]["text"], got[1][1]["text"]} == {"Aarti at 7 pm", "Restrooms: left, 50 m."}
    assert got[2][1]["id"] == override["id"] and got[2][1]["text"] == "Gate closed"
    detail = service.message_detail(message_id=got[0][1]["id"])
    assert detail["deliveries"][0]["sent_at"] is not None  # sent when it reconnected


def test_ack_is_recorded_once_and_shown_to_operators(make_sign, connect_sign, operator_socket):  # CA-2, CA-3
    view, key = make_sign()
    sign = connect_sign(key)
    message = service.send_message(targets={"all": True}, text="Welcome")
    [(event, pushed)] = received(sign, "/signs")
    assert event == "new_message" and pushed["id"] == message["id"]
    operator_socket.get_received()
    ack = sign.emit("ack", {"message_id": message["id"]}, namespace="/signs", callback=True)
    assert ack["ok"] is True and ack["acked_at"]
    [(event, payload)] = received(operator_socket)
    assert event == "message_ack" and payload["message_id"] == message["id"] and payload["sign_id"] == view["id"]
    assert sign.emit("ack", {"message_id": message["id"]}, namespace="/signs", callback=True)["acked_at"] == \
        ack["acked_at"]
    assert names(operator_socket) == []
    detail = service.message_detail(message_id=message["id"])
    assert detail["acknowledged"] == 1 and detail["deliveries"][0]["acked_at"] is not None
    refused = sign.emit("ack", {"message_id": message["id"] + 99}, namespace="/signs", callback=True)
    assert refused["ok"] is False and refused["error"] == "not_delivered" and refused["code"] == 404


def test_request_status_and_ping_reach_the_sign(make_sign, connect_sign):  # CA-4
    view, key = make_sign()
    sign = connect_sign(key)
    sign.get_received("/signs")
    service.ask_sign(sign_id=view["id"], what="request_status")
    service.ask_sign(sign_id=view["id"], what="ping")
    assert names(sign, "/signs") == ["request_status", "ping"]


def test_a_reconnect_elsewhere_is_not_undone_by_the_old_connection(make_sign, clock):  # CA-1
    view, _ = make_sign()
    service.sign_connected(sign_id=view["id"], sid="old-process-sid")
    service.sign_connected(sign_id=view["id"], sid="new-process-sid")
    assert service.sign_disconnected(sign_id=view["id"], sid="old-process-sid") is False
    assert service.sign_detail(sign_id=view["id"])["status"] == "online"
    assert service.sign_disconnected(sign_id=view["id"], sid="new-process-sid") is True
    assert service.sign_detail(sign_id=view["id"])["status"] == "offline"
    # a heartbeat that was still in flight on the closed connection does not bring the sign back
    assert service.record_heartbeat(sign_id=view["id"], figures={"battery": 40}, sid="new-process-sid")["status"] \
        == "offline"
    assert service.sign_detail(sign_id=view["id"])["status"] == "offline"


def test_silent_signs_go_offline_after_the_timeout(app, clock, make_sign, connect_sign, operator_socket):  # CA-3
    view, key = make_sign()
    sign = connect_sign(key)
    operator_socket.get_received()
    timeout = app.config["SIGN_OFFLINE_SECONDS"]
    advance(clock, timeout / 2 + 1)
    assert service.sweep()["pinged"] == 1
    assert names(sign, "/signs")[-1] == "ping"
    advance(clock, timeout / 2 - 2)
    assert service.sweep()["offline"] == 0
    advance(clock, 2)
    assert service.sweep()["offline"] == 1
    assert service.sweep()["offline"] == 0
    [(event, payload)] = received(operator_socket)
    assert event == "sign_offline" and payload["id"] == view["id"] and payload["status"] == "offline"
    sign.emit("heartbeat", {"battery": 77}, namespace="/signs", callback=True)  # it was only quiet
    [(event, payload)] = received(operator_socket)
    assert event == "sign_connected" and payload["status"] == "online"
