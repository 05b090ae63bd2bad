"""Overstay reminders: still checked in 30 minutes after the pass ended → the host is reminded once."""

from __future__ import annotations

from datetime import timedelta

from app.core.notify import Notification
from app.extensions import db
from app.visitors import service
from tasks.visitors import remind_overstays
from tests.visitors.conftest import START


def test_host_is_reminded_once_30_minutes_after_the_pass_ends(invite, frozen_clock, mailbox, host):
    overstayer = invite(valid_hours=2)  # pass 10:30 – 13:00 IST
    gone = invite(valid_hours=2, visitor={"name": "Left On Time", "phone": "+91 90000 55555"})
    never_came = invite(valid_hours=2, visitor={"name": "No Show", "phone": "+91 90000 66666"})
    frozen_clock.move_to(START + timedelta(minutes=40))
    service.check_in(code=overstayer["code"])
    service.check_in(code=gone["code"])
    frozen_clock.move_to(START + timedelta(hours=2, minutes=50))
    service.check_out(code=gone["code"])
    mailbox.messages.clear()

    frozen_clock.move_to(START + timedelta(hours=3, minutes=29))  # pass ended 29 minutes ago
    assert remind_overstays() == 0
    frozen_clock.move_to(START + timedelta(hours=3, minutes=31))
    assert remind_overstays() == 1
    assert remind_overstays() == 0  # the next beat (or a second one) sends nothing more
    frozen_clock.move_to(START + timedelta(hours=5))
    assert remind_overstays() == 0

    [mail] = mailbox.messages
    assert mail["To"] == host.email and mail["Subject"] == "Please sign out your visitor Ravi Contractor"
    assert overstayer["code"] in mail.get_body(("plain",)).get_content()
    assert service.find_visit(never_came["code"]).overstay_reminded_at is None
    assert service.on_site()[0]["overstaying"] is True
    sms = db.session.scalars(db.select(Notification).where(Notification.channel == "sms",
                                                           Notification.subject.like("Please sign out%"))).all()
    assert [n.recipient for n in sms] == [host.phone]


def test_checked_out_in_time_means_no_reminder(invite, frozen_clock, mailbox):
    view = invite(valid_hours=1)
    frozen_clock.move_to(START + timedelta(minutes=40))
    service.check_in(code=view["code"])
    frozen_clock.move_to(START + timedelta(hours=2, minutes=10))
    service.check_out(code=view["code"])
    frozen_clock.move_to(START + timedelta(hours=4))
    assert remind_overstays() == 0
