"""Daily reminder (VP-8): 18:00 city time, users quiet for 7 days, e-mail + one chat list, idempotent."""

from datetime import UTC, datetime, timedelta

from freezegun import freeze_time

from app.extensions import db
from app.parking.models import ReportRun
from tasks.parking import send_daily_reminders
from tests.conftest import bearer
from tests.parking.conftest import RESERVATIONS

SIX_PM = datetime(2025, 6, 10, 12, 30, tzinfo=UTC)  # 18:00 in Veraval


def park_at(client, park, user, lot_id, at, release_after=timedelta(hours=1)):
    with freeze_time(at):
        res = park(bearer(user), lot_id).get_json()
    if release_after is not None:
        with freeze_time(at + release_after):
            client.post(f"{RESERVATIONS}/{res['id']}/release", headers=bearer(user))


def test_quiet_users_are_reminded_once_by_email_and_chat(client, make_lot, make_driver, park, mail_and_chat):
    smtp, hook = mail_and_chat
    lot = make_lot(total_spots=5)
    never = make_driver("Asha Patel")
    lapsed = make_driver("Bhavin Shah")
    recent = make_driver("Chetan Desai")
    opted_out = make_driver("Dhara Joshi")
    parked_long = make_driver("Esha Mehta")
    make_driver("Farah Admin", role="admin")
    park_at(client, park, lapsed, lot["id"], SIX_PM - timedelta(days=8))
    park_at(client, park, recent, lot["id"], SIX_PM - timedelta(days=3))
    park_at(client, park, parked_long, lot["id"], SIX_PM - timedelta(days=10), release_after=None)  # still parked
    with freeze_time(SIX_PM - timedelta(hours=1)):
        assert client.patch("/api/v1/auth/me", json={"reminders": False},
                            headers=bearer(opted_out)).get_json()["reminders"] is False

    with freeze_time(SIX_PM):
        assert send_daily_reminders() == 2
        assert send_daily_reminders() == 0  # a second beat / a re-run sends nothing

    assert sorted(m["To"] for m in smtp.messages) == sorted([never.email, lapsed.email])
    message = smtp.messages[0]
    assert message["Subject"] == "Planning a visit? Book your parking spot"
    assert "not parked with Sangam for a week" in message.get_body(("plain",)).get_content()
    [chat] = hook.received  # one message listing them
    assert "2 user(s)" in chat["text"] and "Asha Patel" in chat["text"] and "Bhavin Shah" in chat["text"]
    assert "Chetan" not in chat["text"] and "Dhara" not in chat["text"] and "Esha" not in chat["text"]
    runs = db.session.scalars(db.select(ReportRun.period).where(ReportRun.kind == "daily_reminder")).all()
    assert runs == ["2025-06-10", "2025-06-10"]

    with freeze_time(SIX_PM + timedelta(days=1)):  # the next day they are reminded again
        assert send_daily_reminders() == 2
    assert len(smtp.messages) == 4 and len(hook.received) == 2


def test_nobody_to_remind_sends_no_chat(make_driver, make_lot, client, park, mail_and_chat):
    smtp, hook = mail_and_chat
    user = make_driver("Gita Rao")
    park_at(client, park, user, make_lot()["id"], SIX_PM - timedelta(days=1))
    with freeze_time(SIX_PM):
        assert send_daily_reminders() == 0
    assert smtp.messages == [] and hook.received == []


def test_schedule_is_18_00_city_time():  # VP-8
    from tasks.schedule import build_schedule

    entry = build_schedule()["parking-daily-reminder"]
    assert entry["task"] == send_daily_reminders.name == "tasks.parking.send_daily_reminders"
    assert entry["schedule"].hour == {18} and entry["schedule"].minute == {0}
