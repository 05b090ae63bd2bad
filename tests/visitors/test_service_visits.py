"""Visits and passes through the service (CR-2): invite, validate, check in/out, revoke, history, roll-call."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.errors import ValidationFailed
from app.core.notify import Notification
from app.extensions import db
from app.visitors import service
from app.visitors.errors import InvalidPass, NotYourVisit, VisitNotFound, VisitorBlocked, VisitOutOfOrder
from app.visitors.models import Person, Visit
from app.visitors.service import passes
from tests.visitors.conftest import START, TODAY


def reason_of(excinfo) -> str:
    return excinfo.value.errors["reason"][0]


def test_invitation_gives_a_signed_pass_valid_around_the_expected_time(invite, host):  # CR-2
    view = invite(valid_hours=3)
    assert view["status"] == "expected" and view["code"].startswith("VIS-")
    assert view["valid_from"] == START + timedelta(minutes=30)  # 30 minutes before the expected 11:00 IST
    assert view["valid_until"] == START + timedelta(hours=4)
    assert passes.code_from_token(view["token"]) == view["code"]
    assert view["pass_url"].startswith("http://127.0.0.1:5000/api/v1/visits/" + view["code"] + "/pass.pdf?token=")
    assert view["host"] == {"id": host.id, "name": host.full_name, "email": host.email, "phone": "+919812345678"}
    assert view["visitor"]["phone"] == "+919876543210" and view["visitor"]["id_last4"] == "0123"


def test_identity_numbers_are_stored_only_as_a_keyed_hash_and_last_four(invite):  # CR-2
    invite()
    person = db.session.scalars(db.select(Person)).one()
    assert person.id_last4 == "0123" and len(person.id_hash) == 64
    assert "234567890123" not in repr({c.key: getattr(person, c.key) for c in Person.__table__.columns})


def test_the_same_person_is_found_again_by_id_number_or_phone_and_name(invite, visitor_details):
    first = invite()
    again = invite(visitor={**visitor_details, "phone": "+91 98765 00000", "id_number": "2345-6789-0123"})
    by_phone = invite(visitor={"name": "ravi  contractor", "phone": "9876543210"})
    family = invite(visitor={"name": "Sita Contractor", "phone": "9876543210"})
    assert first["visitor"]["person_id"] == again["visitor"]["person_id"]
    assert again["visitor"]["phone"] == "+919876500000"  # details follow the latest visit
    assert by_phone["visitor"]["person_id"] != first["visitor"]["person_id"]  # that phone now belongs to no id-holder
    assert family["visitor"]["person_id"] != by_phone["visitor"]["person_id"]


def test_visitor_gets_the_pass_by_email_with_the_pdf_and_by_sms(invite, mailbox):  # CR-2
    view = invite()
    [mail] = mailbox.messages
    assert mail["To"] == "ravi@builders.example.in" and view["code"] in mail["Subject"]
    text = mail.get_body(("plain",)).get_content()
    assert view["pass_url"] in text and "Test user has invited you" in text
    [pdf] = list(mail.iter_attachments())
    assert pdf.get_filename() == f"visitor-pass-{view['code']}.pdf" and pdf.get_content().startswith(b"%PDF")
    sms = db.session.scalars(db.select(Notification).where(Notification.channel == "sms")).one()
    assert sms.recipient == "+919876543210" and view["pass_url"] in sms.body and sms.status == "sent"


def test_a_host_may_invite_only_for_themselves(invite, make_user, host):
    other = make_user("user")
    with pytest.raises(NotYourVisit):
        invite(actor=other)
    assert invite(actor=host)["host"]["id"] == host.id
    assert db.session.scalar(db.select(db.func.count()).select_from(Visit)) == 1


def test_bad_invitations_change_nothing(invite, make_user):
    from app.auth import service as auth_service

    inactive = make_user("user")
    auth_service.deactivate_user(admin=make_user("admin"), user_id=inactive.id)
    cases = [({"host_id": 99999}, "host_id"), ({"host_id": inactive.id}, "host_id"),
             ({"expected_at": START - timedelta(hours=9), "valid_hours": 8}, "expected_at"),
             ({"expected_at": START + timedelta(days=181)}, "expected_at"),
             ({"valid_hours": 73}, "valid_hours"), ({"valid_hours": 0}, "valid_hours"),
             ({"visitor": {"name": "No Phone", "phone": "12"}}, "phone")]
    for overrides, field in cases:
        with pytest.raises(ValidationFailed) as excinfo:
            invite(**overrides)
        assert field in excinfo.value.errors
    assert db.session.scalar(db.select(db.func.count()).select_from(Visit)) == 0


def test_validation_reasons_unknown_not_yet_valid_expired_revoked_blocked_used(invite, frozen_clock, reception):
    view = invite()
    for garbage in ("", "not-a-token", view["token"][:-3] + "abc"):
        with pytest.raises(InvalidPass) as excinfo:
            service.validate_pass(token=garbage)
        assert reason_of(excinfo) == "unknown" and excinfo.value.error == "invalid_token"
    with pytest.raises(InvalidPass) as excinfo:
        service.validate_pass(token=view["token"])  # 10:00: the pass opens at 10:30
    assert reason_of(excinfo) == "not_yet_valid"
    frozen_clock.move_to(START + timedelta(minutes=31))
    assert service.validate_pass(token=view["token"])["code"] == view["code"]
    frozen_clock.move_to(START + timedelta(hours=9, minutes=1))
    with pytest.raises(InvalidPass) as excinfo:
        service.validate_pass(token=view["token"])
    assert reason_of(excinfo) == "expired"

    revoked = invite(expected_at=START + timedelta(hours=10))
    service.revoke_visit(actor=reception, code=revoked["code"], reason="meeting moved")
    with pytest.raises(InvalidPass) as excinfo:
        service.validate_pass(token=revoked["token"])
    assert reason_of(excinfo) == "revoked"


def test_a_token_for_another_purpose_is_unknown(invite, app):
    from app.core.codes import sign_token

    view = invite()
    with pytest.raises(InvalidPass) as excinfo:
        service.validate_pass(token=sign_token("booking", {"visit": view["code"]}))
    assert reason_of(excinfo) == "unknown"
    with pytest.raises(InvalidPass):
        service.validate_pass(token=passes.pass_token("VIS-NOSUCH"))


def test_check_in_then_out_and_out_of_order_is_refused(invite, frozen_clock):  # CR-2
    view = invite()
    with pytest.raises(VisitOutOfOrder):
        service.check_out(code=view["code"])
    frozen_clock.move_to(START + timedelta(minutes=45))
    inside = service.check_in(code=view["code"].lower())
    assert inside["status"] == "checked_in" and inside["checked_in_at"] >= START + timedelta(minutes=45)
    with pytest.raises(VisitOutOfOrder) as excinfo:
        service.check_in(code=view["code"])
    assert "checked in" in excinfo.value.message and excinfo.value.error == "invalid_transition"
    frozen_clock.move_to(START + timedelta(hours=3))
    out = service.check_out(code=view["code"])
    assert out["status"] == "checked_out" and out["checked_out_at"] >= START + timedelta(hours=3)
    with pytest.raises(VisitOutOfOrder):
        service.check_out(code=view["code"])
    with pytest.raises(InvalidPass) as used:
        service.validate_pass(token=view["token"])
    assert reason_of(used) == "used"


def test_check_in_outside_the_window_is_refused_with_the_reason(invite, frozen_clock):
    view = invite()
    with pytest.raises(InvalidPass) as early:
        service.check_in(code=view["code"])
    frozen_clock.move_to(START + timedelta(hours=10))
    with pytest.raises(InvalidPass) as late:
        service.check_in(code=view["code"])
    assert (reason_of(early), reason_of(late)) == ("not_yet_valid", "expired")
    assert service.find_visit(view["code"]).status == "expected"
    with pytest.raises(VisitNotFound):
        service.check_in(code="VIS-NOSUCH")


def test_host_is_emailed_on_arrival(invite, frozen_clock, mailbox, host):  # CR-2
    view = invite()
    frozen_clock.move_to(START + timedelta(minutes=50))
    service.check_in(code=view["code"])
    arrival = [m for m in mailbox.messages if m["To"] == host.email]
    assert [m["Subject"] for m in arrival] == ["Your visitor Ravi Contractor has arrived"]
    assert view["code"] in arrival[0].get_body(("plain",)).get_content()
    sms = db.session.scalars(db.select(Notification).where(Notification.recipient == host.phone)).one()
    assert "has arrived" in sms.subject


def test_arrival_is_also_posted_to_the_configured_chat(invite, frozen_clock, app, monkeypatch):
    from tests.platform.servers import WebhookServer

    view = invite()
    frozen_clock.move_to(START + timedelta(minutes=50))
    with WebhookServer() as hook:
        monkeypatch.setitem(app.config, "VISIT_ARRIVAL_WEBHOOKS", [hook.url])
        service.check_in(code=view["code"])
    [message] = hook.received
    assert "Ravi Contractor has arrived" in message["text"] and "Host: Test user" in message["text"]


def test_revoke_only_an_unused_invitation(invite, frozen_clock, host, make_user):
    view = invite()
    with pytest.raises(VisitNotFound):  # someone else's visit is not even visible
        service.revoke_visit(actor=make_user("user"), code=view["code"])
    revoked = service.revoke_visit(actor=host, code=view["code"], reason="  Postponed ")
    assert revoked["status"] == "revoked" and revoked["revoke_reason"] == "Postponed"
    with pytest.raises(VisitOutOfOrder):
        service.revoke_visit(actor=host, code=view["code"])
    frozen_clock.move_to(START + timedelta(minutes=40))
    with pytest.raises(VisitOutOfOrder):
        service.check_in(code=view["code"])


def test_blocked_person_gets_no_pass_and_cannot_check_in(invite, reception, visitor_details, frozen_clock):
    view = invite()
    service.block_person(actor_id=reception.id, reason="Threatened staff", id_number="234567890123")
    with pytest.raises(VisitorBlocked):
        invite()
    frozen_clock.move_to(START + timedelta(minutes=40))
    with pytest.raises(InvalidPass) as excinfo:
        service.validate_pass(token=view["token"])
    assert reason_of(excinfo) == "blocked"
    with pytest.raises(InvalidPass):
        service.check_in(code=view["code"])
    service.lift_block(actor_id=reception.id, phone=visitor_details["phone"], id_number="234567890123")
    assert service.check_in(code=view["code"])["status"] == "checked_in"


def test_history_by_date_status_and_host_hosts_see_their_own(invite, host, make_user, reception, frozen_clock):
    other_host = make_user("user")
    mine = invite()
    theirs = invite(host_id=other_host.id)
    tomorrow = invite(expected_at=START + timedelta(days=1))
    frozen_clock.move_to(START + timedelta(minutes=40))
    service.check_in(code=mine["code"])

    def codes(actor, **filters):
        return [v.code for v in db.session.scalars(service.visit_history(actor=actor, **filters))]

    today = TODAY
    assert codes(reception, day=today) == [theirs["code"], mine["code"]]  # same time: newest invitation first
    assert codes(reception, status="checked_in") == [mine["code"]]
    assert codes(reception, host_id=other_host.id) == [theirs["code"]]
    assert set(codes(host)) == {mine["code"], tomorrow["code"]}
    assert codes(host, host_id=other_host.id) == codes(host)  # a host cannot look at someone else's
    assert codes(reception, day=today + timedelta(days=1)) == [tomorrow["code"]]


def test_on_site_lists_who_is_inside_with_their_hosts(invite, frozen_clock, visitor_details):  # CR-2 roll-call
    first = invite()
    second = invite(visitor={"name": "Anil Electrician", "phone": "+91 99887 76655"})
    invite(visitor={"name": "Not Arrived", "phone": "+91 90000 00001"})
    frozen_clock.move_to(START + timedelta(minutes=35))
    service.check_in(code=second["code"])
    frozen_clock.move_to(START + timedelta(minutes=40))
    service.check_in(code=first["code"])
    inside = service.on_site()
    assert [v["visitor"]["name"] for v in inside] == ["Anil Electrician", "Ravi Contractor"]
    assert all(v["host"]["name"] == "Test user" for v in inside)
    service.check_out(code=second["code"])
    assert [v["code"] for v in service.on_site()] == [first["code"]]


def test_expected_today_is_the_desk_list(invite, frozen_clock):
    early, later = invite(expected_at=START + timedelta(hours=2)), invite(expected_at=START + timedelta(hours=1))
    invite(expected_at=START + timedelta(days=1))
    gone = invite(expected_at=START - timedelta(hours=1), valid_hours=2)
    assert [v["code"] for v in service.expected_today()] == [gone["code"], later["code"], early["code"]]
    frozen_clock.move_to(START + timedelta(hours=1, minutes=1))  # gone's pass has ended: it leaves the list
    assert [v["code"] for v in service.expected_today()] == [later["code"], early["code"]]
