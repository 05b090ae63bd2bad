"""Templates and messages (CA-4, CA-5): placeholders, targets, schedule windows, per-sign delivery."""

from datetime import timedelta

import pytest

from app.core.errors import ValidationFailed
from app.core.timeutil import utcnow
from app.signs import service
from app.signs.errors import TemplateExists
from tests.signs.conftest import names, received


def errors_of(call, **kwargs) -> dict:
    with pytest.raises(ValidationFailed) as caught:
        call(**kwargs)
    return caught.value.errors


def test_a_template_fills_its_placeholders_in_every_language(make_sign):  # CA-5
    make_sign(zone="ghat")
    message = service.send_message(targets={"zones": ["ghat"]}, template="emergency_evacuation",
                                   params={"zone": "Triveni ghat", "route": "the blue arrows"})
    assert message["text"] == ("Evacuate Triveni ghat now. Follow the blue arrows to the nearest exit. "
                               "Stay calm and help others.")
    assert set(message["texts"]) == {"en", "hi", "gu"}
    assert "Triveni ghat" in message["texts"]["hi"] and "the blue arrows" in message["texts"]["gu"]
    assert message["title"] == "Evacuate now" and message["priority"] == 100 and message["category"] == "emergency"


def test_a_missing_parameter_is_named(make_sign):  # CA-5
    make_sign()
    errors = errors_of(service.send_message, targets={"all": True}, template="crowd_alert", params={"zone": "Ghat"})
    assert errors == {"params": ["Missing parameter(s) for 'crowd_alert': density, alternative."]}
    errors = errors_of(service.send_message, targets={"all": True}, template="weather_current",
                       params={"conditions": "sunny", "temperature": 31, "wind": 4})
    assert "wind" in errors["params"][0] and "conditions, temperature" in errors["params"][0]
    assert errors_of(service.send_message, targets={"all": True}, template="no_such",
                     params={}) == {"template": ["Unknown template 'no_such'."]}
    assert "Empty" in errors_of(service.send_message, targets={"all": True}, template="weather_current",
                                params={"conditions": "<b></b>", "temperature": 31})["params"][0]


def test_targets_must_exist(make_sign):  # CA-4
    a, _ = make_sign(zone="ghat", group="river")
    make_sign(zone="gate", group="north")
    errors = errors_of(service.send_message, targets={"sign_ids": [a["id"], 9999], "zones": ["roof"],
                                                      "groups": ["river", "east"]}, text="x")
    assert errors == {"targets": ["Unknown sign id(s): 9999.", "Unknown zone(s) with no sign: roof.",
                                  "Unknown group(s) with no sign: east."]}
    assert service.list_messages() == []


def test_targets_by_all_ids_zones_and_groups(make_sign):  # CA-4
    a, _ = make_sign(zone="ghat", group="river")
    b, _ = make_sign(zone="ghat", group="north")
    c, _ = make_sign(zone="gate", group="north")
    for targets, expected in (({"all": True}, {a["id"], b["id"], c["id"]}), ({"sign_ids": [c["id"]]}, {c["id"]}),
                              ({"zones": ["ghat"]}, {a["id"], b["id"]}), ({"groups": ["north"]}, {b["id"], c["id"]}),
                              ({"zones": ["gate"], "groups": ["river"]}, {a["id"], c["id"]})):
        message = service.send_message(targets=targets, text="Hello")
        detail = service.message_detail(message_id=message["id"])
        assert {d["sign"]["id"] for d in detail["deliveries"]} == expected, targets
        assert detail["signs"] == len(expected) and detail["sent"] == 0  # all offline: sent when they connect


def test_free_text_is_plain_and_needs_no_params(make_sign):
    make_sign()
    message = service.send_message(targets={"all": True}, text="<b>Aarti</b> at <i>7 pm</i><script>x()</script>")
    assert message["text"] == "Aarti at 7 pm" and message["title"] == "Notice" and message["priority"] == 50
    assert errors_of(service.send_message, targets={"all": True}, text="Hi", params={"a": 1}) == \
        {"params": ["Parameters need a template."]}
    assert "text" in errors_of(service.send_message, targets={"all": True}, text="<p> </p>")


def test_a_scheduled_message_goes_out_when_its_window_opens(clock, make_sign, connect_sign,
                                                            operator_socket):  # CA-4
    view, key = make_sign()
    sign = connect_sign(key)
    sign.get_received("/signs")
    operator_socket.get_received()
    start = utcnow() + timedelta(minutes=10)
    message = service.send_message(targets={"all": True}, text="Fireworks at 9", starts_at=start,
                                   expires_at=start + timedelta(hours=1))
    assert message["status"] == "scheduled" and names(sign, "/signs") == [] and names(operator_socket) == []
    assert service.sweep()["dispatched"] == 0
    clock.move_to(start + timedelta(seconds=1))
    sign.emit("heartbeat", {}, namespace="/signs", callback=True)  # still there
    operator_socket.get_received()
    assert service.sweep()["dispatched"] == 1
    assert service.sweep()["dispatched"] == 0
    [(event, pushed)] = received(sign, "/signs")
    assert event == "new_message" and pushed["text"] == "Fireworks at 9" and pushed["expires_in"] == 3599
    [(event, sent)] = received(operator_socket)
    assert event == "message_sent" and sent["id"] == message["id"] and sent["sent"] == 1
    assert service.sign_detail(sign_id=view["id"])["showing"]["message"]["text"] == "Fireworks at 9"
    clock.move_to(start + timedelta(hours=1, seconds=1))
    assert service.sign_detail(sign_id=view["id"])["showing"] == {"override": None, "message": None, "messages": 0}
    assert service.message_detail(message_id=message["id"])["status"] == "expired"


def test_a_schedule_window_must_make_sense(make_sign):
    make_sign()
    now = utcnow()
    later = now + timedelta(hours=2)
    for starts_at, expires_at in ((None, now - timedelta(minutes=1)), (later, later - timedelta(hours=1))):
        assert "expires_at" in errors_of(service.send_message, targets={"all": True}, text="x", starts_at=starts_at,
                                         expires_at=expires_at)


def test_signs_show_their_highest_priority_message(make_sign):
    view, _ = make_sign()
    service.send_message(targets={"all": True}, template="sponsor", params={"sponsor": "Amul", "text": "Cool lassi"})
    service.send_message(targets={"all": True}, template="weather_heat",
                         params={"temperature": 41, "water_points": "every gate"})
    showing = service.sign_detail(sign_id=view["id"])["showing"]
    assert showing["message"]["text"].startswith("Heat warning: 41 °C") and showing["messages"] == 2


def test_operators_add_templates_with_translations():  # CA-5
    made = service.create_template(slug="prasad_counter", category="wayfinding", title="Prasad",
                                   body="Prasad counter: {direction}.",
                                   translations={"hi": "प्रसाद काउंटर: {direction}।"})
    assert made["placeholders"] == ["direction"] and made["is_default"] is False
    with pytest.raises(TemplateExists):
        service.create_template(slug="prasad_counter", category="wayfinding", title="P", body="x")
    errors = errors_of(service.create_template, slug="bad_one", category="general", title="B", body="At {place}.",
                       translations={"gu": "{time} પર"})
    assert errors == {"translations": ["gu uses placeholders the English body lacks: time."]}
