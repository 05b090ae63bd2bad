"""Scheduled reports (CR-4): admin CRUD, cron validation, and delivery by e-mail and chat when due."""

import io

import pytest
from freezegun import freeze_time
from pypdf import PdfReader

from app.core.notify import Notification
from app.extensions import db
from app.reports.service import run_due_schedules
from tests.conftest import assert_error, bearer
from tests.platform.servers import SMTPServer, WebhookServer

URL = "/api/v1/reports/schedules"


@pytest.fixture
def admin(make_user):
    return make_user("admin", email="reports-admin@sangam.in")


def body(**changes):
    data = {"kind": "audit", "cron": "0 9 * * *", "recipients": {"emails": ["collector@sangam.in"],
                                                                  "chat_webhooks": []}}
    return {**data, **changes}


def test_admin_creates_lists_and_deletes_schedules(client, admin):
    headers = bearer(admin)
    r = client.post(URL, json=body(), headers=headers)
    assert r.status_code == 201, r.get_json()
    created = r.get_json()
    assert created["kind"] == "audit" and created["format"] == "pdf" and created["cron"] == "0 9 * * *"
    assert created["recipients"] == {"emails": ["collector@sangam.in"], "chat_webhooks": []}
    assert [s["id"] for s in client.get(URL, headers=headers).get_json()] == [created["id"]]
    assert client.delete(f"{URL}/{created['id']}", headers=headers).status_code == 204
    assert client.get(URL, headers=headers).get_json() == []
    assert_error(client.delete(f"{URL}/{created['id']}", headers=headers), 404)


@pytest.mark.parametrize("changes, field", [
    ({"cron": "every morning"}, "cron"),
    ({"cron": "61 9 * * *"}, "cron"),
    ({"cron": "0 9 * *"}, "cron"),
    ({"kind": "horoscopes"}, "kind"),
    ({"recipients": {"emails": ["not-an-email"]}}, "recipients"),
    ({"recipients": {"emails": [], "chat_webhooks": []}}, "recipients"),
    ({"format": "doc"}, "format"),
])
def test_invalid_schedules_are_422(client, admin, changes, field):
    body_ = assert_error(client.post(URL, json=body(**changes), headers=bearer(admin)), 422)
    assert field in body_["errors"]


def test_schedules_are_admin_only(client, auth_headers):
    headers = auth_headers("operator")
    assert_error(client.get(URL, headers=headers), 403)
    assert_error(client.post(URL, json=body(), headers=headers), 403)
    assert_error(client.get(URL), 401)


def test_due_schedule_is_mailed_and_posted_once(app, client, admin, monkeypatch):
    with SMTPServer() as smtp, WebhookServer() as hook:
        monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
        monkeypatch.setitem(app.config, "SMTP_PORT", smtp.port)
        with freeze_time("2026-03-01 02:00:00"):  # 07:30 in the city
            r = client.post(URL, json=body(recipients={"emails": ["collector@sangam.in"],
                                                       "chat_webhooks": [hook.url]}), headers=bearer(admin))
            assert r.status_code == 201
        with freeze_time("2026-03-01 03:00:00"):  # 08:30: not yet
            assert run_due_schedules() == 0
        with freeze_time("2026-03-01 03:31:00"):  # 09:01: due
            assert run_due_schedules() == 1
            assert run_due_schedules() == 0  # already sent for 09:00
        with freeze_time("2026-03-02 03:31:00"):  # the next morning
            assert run_due_schedules() == 1
        messages, posts = list(smtp.messages), list(hook.received)
    assert len(messages) == 2 and len(posts) == 2
    first = messages[0]
    assert first["To"] == "collector@sangam.in" and first["Subject"] == "Sangam report: Audit trail (2026-03-01 09:01)"
    [attachment] = list(first.iter_attachments())
    assert attachment.get_filename() == "sangam-audit-20260301-0901.pdf"
    pdf_text = PdfReader(io.BytesIO(attachment.get_content())).pages[0].extract_text()
    assert "Audit trail" in pdf_text and "reports-admin@sangam.in" in pdf_text
    assert posts[0]["text"].startswith("*Sangam report: Audit trail (2026-03-01 09:01)*")
    notes = db.session.query(Notification).order_by(Notification.id).all()
    assert [(n.channel, n.status) for n in notes] == [("email", "sent"), ("chat", "sent")] * 2
