"""Notifications: e-mail over real SMTP, chat webhooks with retries, SMS over HTTP; every send is a row."""

import pytest

from app.core import notify
from app.core.events import transactional
from app.core.notify import Notification
from app.extensions import db
from tests.platform.servers import SMTPServer, WebhookServer


@pytest.fixture(autouse=True)
def _fast_backoff(app, monkeypatch):
    monkeypatch.setitem(app.config, "NOTIFY_BACKOFF_SECONDS", 0)


@transactional
def send(*args, **kwargs):
    return notify.send(*args, **kwargs)


def reload(note):
    db.session.expire_all()
    return db.session.get(Notification, note.id)


def test_email_with_html_and_attachment_over_smtp(app, monkeypatch):
    with SMTPServer() as smtp:
        monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
        monkeypatch.setitem(app.config, "SMTP_PORT", smtp.port)
        note = send("email", "asha@example.in", "Your report", "Plain body", html="<h1>Report</h1>",
                    attachments=[("report.pdf", b"%PDF-1.4 test", "application/pdf")])
        [message] = smtp.messages
    assert message["To"] == "asha@example.in" and message["Subject"] == "Your report"
    assert "Plain body" in message.get_body(("plain",)).get_content()
    assert "<h1>Report</h1>" in message.get_body(("html",)).get_content()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "report.pdf" and attachment.get_content() == b"%PDF-1.4 test"
    note = reload(note)
    assert (note.status, note.attempts, note.last_error) == ("sent", 1, None) and note.sent_at


def test_webhook_failing_twice_then_succeeding_is_retried():
    with WebhookServer(fail_first=2) as hook:
        note = send("chat", hook.url, "Crowd high", "Main darshan at 85%")
    assert hook.calls == 3
    assert hook.received == [{"text": "*Crowd high*\nMain darshan at 85%"}]
    note = reload(note)
    assert (note.status, note.attempts) == ("sent", 3)


def test_permanent_webhook_failure_is_recorded():
    with WebhookServer(status=404) as hook:
        note = send("chat", hook.url, "Hello", "World")
    note = reload(note)
    assert note.status == "failed" and "404" in note.last_error and note.attempts == 1


def test_transient_failure_gives_up_after_retries_and_records_it():
    with WebhookServer(fail_first=100) as hook:
        note = send("chat", hook.url, "Hello", "World")
    note = reload(note)
    assert note.status == "failed" and "gave up after 6 attempts" in note.last_error
    assert hook.calls == 6


def test_unreachable_smtp_is_retried_then_failed(app, monkeypatch):
    from tests.platform.servers import free_port

    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", free_port())
    note = reload(send("email", "x@example.in", "S", "B"))
    assert note.status == "failed" and note.attempts == 6


def test_sms_twilio_compatible_provider(app, monkeypatch):
    with WebhookServer() as provider:
        monkeypatch.setitem(app.config, "SMS_PROVIDER", "twilio")
        monkeypatch.setitem(app.config, "SMS_API_URL", provider.url)
        monkeypatch.setitem(app.config, "SMS_FROM", "+15550000000")
        note = send("sms", "+919800000002", "SOS", "Ambulance dispatched")
    assert "To=%2B919800000002" in provider.received[0] and "Body=Ambulance+dispatched" in provider.received[0]
    assert reload(note).status == "sent"


def test_sms_log_provider_is_default():
    assert reload(send("sms", "+919800000003", "S", "B")).status == "sent"


def test_dedupe_key_sends_once():
    first = send("sms", "+919800000004", "Reminder", "B", dedupe_key="reminder:1")
    again = send("sms", "+919800000004", "Reminder", "B", dedupe_key="reminder:1")
    assert first.id == again.id
    assert db.session.query(Notification).filter_by(dedupe_key="reminder:1").count() == 1


def test_rolled_back_send_is_never_delivered():
    with WebhookServer() as hook:
        @transactional
        def failing():
            notify.send("chat", hook.url, "x", "y")
            raise RuntimeError("abort")

        with pytest.raises(RuntimeError):
            failing()
    assert hook.calls == 0 and db.session.query(Notification).count() == 0
