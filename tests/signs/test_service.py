"""Signs as devices (CA-1, CA-2): registration, places, changes, keys; plain text rules."""

import pytest

from app.auth import service as auth_service
from app.core.errors import ValidationFailed
from app.extensions import socketio
from app.signs import service
from app.signs.wording import placeholders, plain_text, render
from tests.signs.conftest import advance


def test_a_sign_is_a_device_of_kind_sign_with_a_key_shown_once(make_sign):  # CA-1
    view, key = make_sign("North gate", zone="gate", group="north", lat=20.9, lng=70.4)
    device = auth_service.resolve_device_key(key)
    assert device.kind == "sign" and device.id == view["device_id"]
    assert service.authenticate_sign(key) == view["id"]
    listed = service.list_signs()
    assert [s["name"] for s in listed] == ["North gate"] and "key" not in listed[0]
    assert listed[0]["status"] == "offline" and listed[0]["showing"] == {"override": None, "message": None,
                                                                          "messages": 0}


def test_a_sign_at_a_temple_must_stand_in_one_of_its_zones(temple, make_sign):
    view, _ = make_sign(temple="somnath", zone="museum")
    assert view["temple"] == "somnath"
    for temple_ref, zone, field in (("somnath", "roof", "zone"), ("atlantis", "museum", "temple")):
        with pytest.raises(ValidationFailed) as caught:
            make_sign(temple=temple_ref, zone=zone)
        assert field in caught.value.errors


def test_an_operator_moves_a_sign_and_filters_the_list(make_sign):  # CA-1
    a, _ = make_sign("A", zone="ghat", group="river")
    make_sign("B", zone="gate", group="north")
    moved = service.update_sign(sign_id=a["id"], values={"zone": "gate", "group": None, "lat": 21.0})
    assert (moved["zone"], moved["group"], moved["lat"]) == ("gate", None, 21.0)
    assert [s["name"] for s in service.list_signs(zone="gate")] == ["A", "B"]
    assert [s["name"] for s in service.list_signs(group="north")] == ["B"]
    assert service.list_signs(status="online") == []


def test_a_new_key_closes_the_old_connection_and_refuses_the_old_key(app, make_sign, connect_sign):
    view, old_key = make_sign()
    old = connect_sign(old_key)
    assert old.is_connected("/signs")
    _, new_key = service.issue_new_key(sign_id=view["id"])
    assert not old.is_connected("/signs")
    assert not socketio.test_client(app, namespace="/signs", auth={"device_key": old_key}).is_connected("/signs")
    assert connect_sign(new_key).is_connected("/signs")
    assert service.sign_detail(sign_id=view["id"])["status"] == "online"


def test_plain_text_strips_markup_but_keeps_indic_joiners():  # CA-6
    assert plain_text("<p>Lost: <b>boy</b>&nbsp;&amp; dog</p><style>p{}</style>\x07") == "Lost: boy & dog"
    assert plain_text("क्\u200dष") == "क्\u200dष"  # a zero-width joiner shapes the conjunct
    assert plain_text("  many \n\t spaces ") == "many spaces"


def test_placeholders_are_plain_substitutions():  # CA-5
    body = "At {place}, {time}: {place} {0.__class__} {Upper}"
    assert placeholders(body) == ["place", "time"]
    assert render(body, {"place": "ghat", "time": "7 pm"}) == "At ghat, 7 pm: ghat {0.__class__} {Upper}"


def test_the_demo_seed_is_idempotent(app):
    from app.signs import seed
    from app.temples import service as temples

    temples.create_temple(slug="somnath", name="Somnath", location="Veraval", lat=20.888, lng=70.4013, zones=[
        {"slug": slug, "name": slug, "capacity": 100} for slug in ("mainDarshan", "garbhaGriha", "pradakshina",
                                                                   "museum")])
    seed.seed_demo()
    seed.seed_demo()
    signs = service.list_signs()
    assert len(signs) == len(seed.DEMO_SIGNS) == 8
    assert len(service.list_messages()) == 1
    assert all(s["showing"]["message"]["text"] == "First aid: next to the main gate, 100 m." for s in signs)


def test_the_celery_tasks_run_the_sweep_and_the_retention(app, clock, make_sign):
    from tasks import signs as tasks

    view, _ = make_sign()
    service.sign_connected(sign_id=view["id"], sid="sid-1")
    service.record_heartbeat(sign_id=view["id"], figures={"battery": 50})
    advance(clock, app.config["SIGN_OFFLINE_SECONDS"] + 1)
    assert tasks.sweep.delay().get()["offline"] == 1
    advance(clock, 86400 * app.config["SIGNS_SAMPLE_RETENTION_DAYS"])
    assert tasks.purge_samples.delay().get() == 1
    assert service.sign_samples(sign_id=view["id"]) == []
