"""Schedules of any report (CR-4, CR-5): a custom report or the comprehensive PDF, sent exactly once per period."""

import io
import threading
from datetime import timedelta

import pytest
from freezegun import freeze_time
from openpyxl import load_workbook
from pypdf import PdfReader

from app.core.notify import Notification
from app.extensions import db
from app.reports.models import ReportSchedule
from app.reports.service import run_due_schedules
from tests.conftest import assert_error, bearer, needs_postgres
from tests.platform.servers import SMTPServer, WebhookServer

URL = "/api/v1/reports/schedules"
CREATED, EARLY, DUE, NEXT_DAY = ("2026-03-01 02:00:00", "2026-03-01 03:00:00", "2026-03-01 03:31:00",
                                 "2026-03-02 03:31:00")  # 07:30, 08:30, 09:01 city time; 09:01 the next day


@pytest.fixture
def admin(make_user):
    with freeze_time(CREATED):
        return make_user("admin", email="schedules-admin@sangam.in")


@pytest.fixture
def mail(app, monkeypatch):
    with SMTPServer() as smtp, WebhookServer() as hook:
        monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
        monkeypatch.setitem(app.config, "SMTP_PORT", smtp.port)
        yield smtp, hook


def create(client, admin, hook_url=None, **body):
    data = {"cron": "0 9 * * *", "recipients": {"emails": ["collector@sangam.in"],
                                                 "chat_webhooks": [hook_url] if hook_url else []}, **body}
    with freeze_time(CREATED):
        r = client.post(URL, json=data, headers=bearer(admin))
    assert r.status_code == 201, r.get_json()
    return r.get_json()


CUSTOM = {"kind": "custom", "format": "xlsx", "spec": {"title": "Accounts by role", "dataset": "users",
                                                       "group_by": "role", "metrics": ["count"]}}


def test_a_custom_report_schedule_mails_the_report_and_posts_to_chat(client, admin, mail, make_user):
    smtp, hook = mail
    make_user("operator")
    created = create(client, admin, hook.url, **CUSTOM)
    assert created["kind"] == "custom" and created["spec"]["group_by"] == "role" and created["period_key"] is None
    with freeze_time(EARLY):
        assert run_due_schedules() == 0
    with freeze_time(DUE):
        assert run_due_schedules() == 1
        assert run_due_schedules() == 0
    [message] = smtp.messages
    assert message["Subject"] == "Sangam report: Accounts by role (2026-03-01 09:01)"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "sangam-accounts_by_role-20260301-0901.xlsx"
    sheet = load_workbook(io.BytesIO(attachment.get_content())).active
    assert dict(sheet.iter_rows(min_row=2, values_only=True)) == {"admin": 1, "operator": 1}
    [post] = hook.received
    assert "Accounts by role: 2 rows" in post["text"]
    schedule = db.session.get(ReportSchedule, created["id"])
    db.session.refresh(schedule)
    assert schedule.period_key == "202603010900"


def test_a_weekly_comprehensive_schedule_sends_the_pdf(client, admin, mail):
    smtp, _hook = mail
    create(client, admin, kind="comprehensive", spec={"period": "week"}, cron="0 7 * * 1")  # Mondays 07:00
    with freeze_time("2026-03-02 02:00:00"):  # Monday 07:30 in the city
        assert run_due_schedules() == 1
    [message] = smtp.messages
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(attachment.get_content())).pages)
    assert "Contents" in text and "23 Feb 2026 – 01 Mar 2026" in text  # the week up to yesterday
    with freeze_time("2026-03-08 02:00:00"):  # Sunday: not due
        assert run_due_schedules() == 0
    with freeze_time("2026-03-09 02:00:00"):  # the next Monday
        assert run_due_schedules() == 1
    assert len(smtp.messages) == 2


@pytest.mark.parametrize("body, field", [
    ({"kind": "comprehensive", "format": "xlsx"}, "format"),
    ({"kind": "comprehensive", "spec": {"period": "year"}}, "spec"),
    ({"kind": "custom"}, "spec"),
    ({"kind": "custom", "spec": {"title": "x", "dataset": "users", "group_by": "colour"}}, "group_by"),
    ({"kind": "custom", "spec": {"title": "x", "dataset": "nope"}}, "dataset"),
    ({"kind": "custom", "spec": {"dataset": "users"}}, "spec"),
])
def test_invalid_report_schedules_are_422(client, admin, body, field):
    data = {"cron": "0 9 * * *", "recipients": {"emails": ["a@sangam.in"]}, **body}
    assert field in assert_error(client.post(URL, json=data, headers=bearer(admin)), 422)["errors"]


def test_a_missed_day_is_sent_once_not_once_per_missed_period(client, admin, mail):
    smtp, _hook = mail
    create(client, admin, kind="users", format="csv")
    with freeze_time("2026-03-04 03:31:00"):  # three 09:00s passed while beat was down
        assert run_due_schedules() == 1
        assert run_due_schedules() == 0
    with freeze_time("2026-03-05 03:31:00"):
        assert run_due_schedules() == 1
    assert len(smtp.messages) == 2


@needs_postgres
def test_two_beats_at_once_send_each_period_exactly_once(app, committed_db, mail):
    """Two beat runs race on the same due schedule: the conditional UPDATE lets one of them claim the period."""
    from app.auth import service as auth_service
    from app.reports import service

    smtp, _hook = mail
    with freeze_time(CREATED):
        admin = auth_service.register_user(email="race-admin@sangam.in", password="Race-passw0rd-long",
                                           full_name="Race", role="admin")
        service.create_schedule(user=admin, kind="users", format="csv", cron="0 9 * * *",
                                recipients={"emails": ["race@sangam.in"], "chat_webhooks": []})
    db.session.remove()
    results, barrier = [], threading.Barrier(4)

    def beat():
        with app.app_context():
            barrier.wait()
            results.append(run_due_schedules())
            db.session.remove()

    with freeze_time(DUE):
        threads = [threading.Thread(target=beat) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    assert sorted(results) == [0, 0, 0, 1]
    assert len(smtp.messages) == 1 and smtp.messages[0]["To"] == "race@sangam.in"
    notes = db.session.query(Notification).all()
    assert [(n.dedupe_key, n.status) for n in notes] == [
        (f"schedule:{notes[0].dedupe_key.split(':')[1]}:202603010900:race@sangam.in", "sent")]
    with freeze_time(DUE) as frozen:
        frozen.tick(timedelta(minutes=5))
        assert run_due_schedules() == 0
