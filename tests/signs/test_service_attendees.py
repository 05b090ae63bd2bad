"""Attendee submissions (CA-6) and SMS/voice notices (CA-7)."""

from datetime import timedelta
from urllib.parse import unquote_plus

import pytest

from app.core.errors import InvalidTransition, ValidationFailed
from app.core.notify import Notification
from app.core.timeutil import utcnow
from app.extensions import db
from app.signs import service
from tests.platform.servers import WebhookServer
from tests.signs.conftest import names, received


def test_a_submission_stays_off_signs_until_approved(clock, make_sign, connect_sign, operator_socket):  # CA-6
    view, key = make_sign(zone="ghat")
    sign = connect_sign(key)
    sign.get_received("/signs")
    operator_socket.get_received()
    submission = service.submit(kind="lost", text="<b>Boy, 6,</b> red shirt<script>alert(1)</script>", zone="ghat",
                                contact="+91 98000 11111")
    assert submission.status == "pending" and submission.text == "Boy, 6, red shirt"
    [(event, payload)] = received(operator_socket)
    assert event == "new_submission" and payload["text"] == "Boy, 6, red shirt"
    assert names(sign, "/signs") == [] and service.sign_detail(sign_id=view["id"])["showing"]["message"] is None
    approved = service.approve(submission_id=submission.id)
    assert approved.status == "approved" and approved.message_id
    [(event, pushed)] = received(sign, "/signs")
    assert event == "new_message" and pushed["text"] == "LOST: Boy, 6, red shirt (seen them? contact +91 98000 11111)"
    assert pushed["expires_in"] == 2 * 3600
    assert "submission_approved" in names(operator_socket)
    with pytest.raises(InvalidTransition):
        service.reject(submission_id=submission.id, reason="late")


def test_a_rejection_keeps_its_reason(make_sign):  # CA-6
    make_sign(zone="ghat")
    submission = service.submit(kind="meetup", text="Meet at the banyan tree", zone="ghat")
    rejected = service.reject(submission_id=submission.id, reason="Not a lost/found matter")
    assert rejected.status == "rejected" and rejected.reason == "Not a lost/found matter"
    assert rejected.message_id is None and service.list_messages() == []
    with pytest.raises(InvalidTransition):
        service.approve(submission_id=submission.id)


def test_submission_rules(make_sign):  # CA-6
    make_sign(zone="ghat")
    for kwargs, field in (({"text": "<p></p>"}, "text"), ({"text": "x" * 281}, "text"),
                          ({"text": "ok", "zone": "moon"}, "zone")):
        with pytest.raises(ValidationFailed) as caught:
            service.submit(kind="found", **kwargs)
        assert field in caught.value.errors
    no_zone = service.submit(kind="found", text="Blue umbrella")
    with pytest.raises(ValidationFailed) as caught:
        service.approve(submission_id=no_zone.id)
    assert caught.value.errors == {"zone": ["This submission names no zone: choose one."]}
    approved = service.approve(submission_id=no_zone.id, zone="ghat", expires_at=utcnow() + timedelta(minutes=30))
    assert approved.zone == "ghat"
    assert service.message_detail(message_id=approved.message_id)["text"] == \
        "FOUND: Blue umbrella (ask at the help desk)"


@pytest.fixture
def provider(app, monkeypatch):
    """A local HTTP server playing a Twilio-compatible SMS provider; the first attempt fails."""
    monkeypatch.setitem(app.config, "NOTIFY_BACKOFF_SECONDS", 0)
    with WebhookServer(fail_first=1) as server:
        monkeypatch.setitem(app.config, "SMS_PROVIDER", "twilio")
        monkeypatch.setitem(app.config, "SMS_API_URL", server.url)
        monkeypatch.setitem(app.config, "SMS_FROM", "+15550001111")
        yield server


def test_sms_to_a_list_goes_through_the_provider_once_each(provider):  # CA-7
    notice = service.send_notice(channel="sms", text="Shuttles resume at 6 pm",
                                 to=["+919800000001", "+919800000002", "+919800000001"])
    assert notice["recipients"] == 2 and notice["channel"] == "sms"
    assert sorted(body.split("&")[0] for body in provider.received) == ["To=%2B919800000001", "To=%2B919800000002"]
    assert all("Body=Shuttles+resume+at+6+pm" in body for body in provider.received)
    assert provider.calls == 3  # one transient failure, retried
    notes = db.session.query(Notification).filter(Notification.dedupe_key.like(f"signs.notice:{notice['id']}:%")).all()
    assert sorted((n.status, n.recipient) for n in notes) == [("sent", "+919800000001"), ("sent", "+919800000002")]


def test_sms_to_a_zone_reaches_its_subscribers(provider, make_sign):  # CA-7
    make_sign(zone="ghat")
    make_sign(zone="gate")
    service.subscribe_phone(phone="+919800000010", zone="ghat")
    service.subscribe_phone(phone="+919800000010", zone="ghat")  # again: one subscription
    service.subscribe_phone(phone="+919800000011", zone="gate")
    assert service.send_notice(channel="sms", text="Ghat closes at 8", zone="ghat")["recipients"] == 1
    assert len(provider.received) == 1 and "To=%2B919800000010" in provider.received[0]
    service.unsubscribe_phone(phone="+919800000010", zone="ghat")
    with pytest.raises(ValidationFailed) as caught:
        service.send_notice(channel="sms", text="again", zone="ghat")
    assert caught.value.errors == {"zone": ["Zone 'ghat' has no subscribers."]}
    with pytest.raises(ValidationFailed):
        service.subscribe_phone(phone="+919800000012", zone="moon")


def test_a_voice_call_speaks_the_text_through_the_calls_api(app, monkeypatch):  # CA-7
    monkeypatch.setitem(app.config, "NOTIFY_BACKOFF_SECONDS", 0)
    with WebhookServer() as calls:
        monkeypatch.setitem(app.config, "SMS_PROVIDER", "twilio")
        monkeypatch.setitem(app.config, "SMS_API_URL", "")
        monkeypatch.setitem(app.config, "VOICE_API_URL", calls.url)
        monkeypatch.setitem(app.config, "SMS_FROM", "+15550001111")
        notice = service.send_notice(channel="voice", text="Ghat closed & <b>flooded</b>", to=["+919800000003"])
    [call] = calls.received
    fields = dict(item.split("=", 1) for item in call.split("&"))
    assert fields["To"] == "%2B919800000003" and notice["channel"] == "voice"
    assert unquote_plus(fields["Twiml"]) == "<Response><Say>Ghat closed &amp; flooded</Say></Response>"
