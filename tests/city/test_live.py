"""The ``city`` channel: module rooms, the min_severity filter, request_real_time_data, events after commit.  # SC-9"""

from __future__ import annotations

import pytest

from app.city import service
from app.city.service import network
from app.core.events import transactional
from app.extensions import socketio
from tests.conftest import bearer
from tests.factories.city import WasteBinFactory


def connect(app, user):
    return socketio.test_client(app, auth={"token": bearer(user)["Authorization"][7:]})


@pytest.fixture
def operator(make_user):
    return make_user("operator")


def received(client, name: str) -> list[dict]:
    return [e["args"][0] for e in client.get_received() if e["name"] == name]


def test_the_city_channel_is_for_staff(app, make_user):
    anonymous = socketio.test_client(app)
    assert anonymous.emit("subscribe", {"channel": "city"}, callback=True)["error"] == "forbidden"
    pilgrim = connect(app, make_user("user"))
    assert pilgrim.emit("subscribe", {"channel": "city", "module": "traffic"}, callback=True)["ok"] is False
    officer = connect(app, make_user("safety_officer"))
    assert officer.emit("subscribe", {"channel": "city", "module": "emergency"}, callback=True) == {
        "ok": True, "room": "city:emergency"}
    bad = officer.emit("subscribe", {"channel": "city", "min_severity": "loud"}, callback=True)
    assert bad["ok"] is False and bad["error"] == "validation_error"


def test_module_rooms_and_severity_filter(app, operator, make_sensor, ingest):
    from tests.city.conftest import hours_ago

    everything = connect(app, operator)
    traffic = connect(app, operator)
    warnings_up = connect(app, operator)
    environment = connect(app, operator)
    assert everything.emit("subscribe", {"channel": "city"}, callback=True)["room"] == "city"
    assert traffic.emit("subscribe", {"channel": "city", "module": "traffic"}, callback=True)["room"] == "city:traffic"
    assert warnings_up.emit("subscribe", {"channel": "city", "min_severity": "warning"},
                            callback=True)["room"] == "city:*:warning+"
    environment.emit("subscribe", {"channel": "city", "module": "environment"}, callback=True)
    for client in (everything, traffic, warnings_up, environment):
        client.get_received()
    network.add_node(key="a", name="Gate", lat=20.8869, lng=70.4016)
    network.add_node(key="b", name="Ghat", lat=20.8930, lng=70.4050)
    sensor = make_sensor("traffic")
    network.add_segment(key="ab", name="Temple road", from_key="a", to_key="b", free_flow_kmh=40, zone="somnath",
                        sensor_id=sensor.id)
    ingest(sensor, [("avg_speed_kmh", 30, hours_ago(0.2))])  # free: severity info
    ingest(sensor, [("avg_speed_kmh", 4, hours_ago(0.1))])  # jammed: severity warning
    levels = [[s["level"] for s in e["segments"]] for e in received(traffic, "traffic_update")]
    assert levels == [["free"], ["jammed"]]
    assert [e["severity"] for e in received(everything, "traffic_update")] == ["info", "warning"]
    assert [[s["level"] for s in e["segments"]] for e in received(warnings_up, "traffic_update")] == [["jammed"]]
    assert received(environment, "traffic_update") == []


def test_request_real_time_data_answers_with_the_module_state(app, operator):
    WasteBinFactory(fill_pct=90, needs_collection=True)
    client = connect(app, operator)
    refused = client.emit("request_real_time_data", {"module": "waste"}, callback=True)
    assert refused == {"ok": False, "error": "forbidden", "message": "Subscribe to the city channel first."}
    client.emit("subscribe", {"channel": "city", "module": "waste"}, callback=True)
    answer = client.emit("request_real_time_data", {"module": "waste"}, callback=True)
    assert answer["ok"] is True and answer["data"]["module"] == "waste"
    assert [b["fill_pct"] for b in answer["data"]["bins_to_collect"]] == [90]
    assert received(client, "real_time_data")[0] == answer["data"]
    for module in service.MODULES:
        assert client.emit("request_real_time_data", {"module": module}, callback=True)["ok"] is True
    wrong = client.emit("request_real_time_data", {"module": "weather"}, callback=True)
    assert wrong["ok"] is False and wrong["error"] == "validation_error"


def test_events_go_out_only_after_commit(app, operator):
    client = connect(app, operator)
    client.emit("subscribe", {"channel": "city"}, callback=True)
    client.get_received()
    service.update_bin(bin_id=WasteBinFactory(fill_pct=50).id, values={"fill_pct": 95})
    assert [e["kind"] for e in received(client, "system_update")] == ["bin_full"]

    @transactional
    def notice_then_fail():
        from app.city import events

        events.system_update(module="waste", kind="bin_full", severity="info", message="x")
        raise RuntimeError("the unit of work fails")

    with pytest.raises(RuntimeError):
        notice_then_fail()
    assert received(client, "system_update") == []


def test_a_safety_incident_reaches_the_emergency_room_once(app, operator, make_user):  # SC-7, SC-9
    from app.safety import service as safety

    client = connect(app, operator)
    client.emit("subscribe", {"channel": "city", "module": "emergency"}, callback=True)
    client.get_received()
    incident = safety.report_sos(user=make_user(), type="medical", lat=20.888, lng=70.401)
    alerts = received(client, "emergency_alert")
    assert len(alerts) == 1 and alerts[0]["code"] == incident.code  # the safety domain's summary, not a relay
