"""Responders hear about an SOS on real SMTP, chat-webhook and SMS servers; unacknowledged critical incidents
escalate once; the weekly compliance digest goes out once per ISO week."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.core.notify import Notification
from app.extensions import db
from app.safety import service
from tests.safety.conftest import MONDAY, SOMNATH


@pytest.fixture
def team(person):
    return {"operator": person("operator", "Kiran Desai"), "officer": person("safety_officer", "Meera Joshi",
                                                                              phone="+919800000101"),
            "admin": person("admin", "Control Room Admin")}


def sos(pilgrim, kind="medical"):
    return service.report_sos(user=pilgrim, type=kind, lat=SOMNATH[0], lng=SOMNATH[1], temple="somnath",
                              zone="mainDarshan", description="Man collapsed near the main hall")


def test_an_sos_reaches_responders_by_email_chat_and_sms_with_a_deep_link(app, monkeypatch, servers, team, pilgrim,
                                                                          somnath):  # PW-14
    smtp, chat, sms = servers
    monkeypatch.setitem(app.config, "SAFETY_RESPONDER_SMS", ["+919800000999"])
    incident = sos(pilgrim)
    link = f"http://127.0.0.1:5000/console/safety?incident={incident.code}"
    assert sorted(m["To"] for m in smtp.messages) == ["kiran.desai@sangam.test", "meera.joshi@sangam.test"]
    mail = smtp.messages[0]
    assert mail["Subject"] == f"SOS {incident.code} [CRITICAL]: Medical emergency at somnath / mainDarshan"
    body = mail.get_body(("plain",)).get_content()
    assert link in body and "somnath / mainDarshan" in body and "Man collapsed" in body and "Asha Patel" in body
    [message] = chat.received
    assert incident.code in message["text"] and link in message["text"]
    phones = sorted(part for form in sms.received for part in form.split("&") if part.startswith("To="))
    assert phones == ["To=%2B919800000101", "To=%2B919800000999"]
    assert db.session.query(Notification).filter_by(status="sent").count() == 5


def test_a_low_severity_staff_report_is_mailed_but_not_texted(servers, team):
    smtp, chat, sms = servers
    service.report_incident(user=team["officer"], type="near_miss", severity="low", title="Loose tile")
    assert len(smtp.messages) == 2 and len(chat.received) == 1 and sms.received == []


def test_an_unacknowledged_critical_incident_escalates_once(app, monkeypatch, servers, team, pilgrim, somnath,
                                                            clock, captured_events):
    smtp, chat, sms = servers
    monkeypatch.setitem(app.config, "SAFETY_ESCALATION_EMAILS", ["district.collector@gujarat.test"])
    monkeypatch.setitem(app.config, "SAFETY_ESCALATION_SMS", ["+919800000777"])
    incident = sos(pilgrim)
    smtp.messages.clear()
    clock.tick(timedelta(minutes=4))
    assert service.escalate_unacknowledged() == 0
    clock.tick(timedelta(minutes=2))
    assert service.escalate_unacknowledged() == 1
    assert service.escalate_unacknowledged() == 0
    assert sorted(m["To"] for m in smtp.messages) == ["control.room.admin@sangam.test",
                                                      "district.collector@gujarat.test"]
    assert smtp.messages[0]["Subject"].startswith(f"ESCALATED (unacknowledged 5 min) {incident.code}")
    assert any("To=%2B919800000777" in form for form in sms.received)
    db.session.refresh(incident)
    assert incident.escalated_at is not None and incident.status == "reported"
    assert incident.steps[-1].action == "escalated" and incident.steps[-1].by_name == "Sangam"
    assert captured_events[-2].payload["escalated_at"] is not None


def test_acknowledged_or_non_critical_incidents_do_not_escalate(team, pilgrim, somnath, clock):
    acknowledged = sos(pilgrim)
    service.acknowledge_incident(code=acknowledged.code)
    sos(pilgrim, kind="lost_person")
    clock.tick(timedelta(hours=1))
    assert service.escalate_unacknowledged() == 0


def test_the_escalation_delay_comes_from_config(app, monkeypatch, team, pilgrim, somnath, clock):
    monkeypatch.setitem(app.config, "SAFETY_ESCALATION_MINUTES", 1)
    sos(pilgrim)
    clock.tick(timedelta(seconds=61))
    assert service.escalate_unacknowledged() == 1


def test_the_compliance_digest_goes_to_safety_officers_once_per_iso_week(servers, team, person, clock):  # CR-3
    smtp, _chat, _sms = servers
    clock.move_to(MONDAY)
    second = person("safety_officer", "Dev Shah")
    service.record_training(person="Ramesh Gohil", course="First aid", completed_on=date(2024, 1, 10),
                            valid_until=date(2026, 1, 10))
    assert service.send_compliance_digest() == 2
    assert service.send_compliance_digest() == 0
    clock.tick(timedelta(days=3))  # Thursday, same ISO week
    assert service.send_compliance_digest() == 0
    assert sorted(m["To"] for m in smtp.messages) == [second.email, "meera.joshi@sangam.test"]
    assert smtp.messages[0]["Subject"] == "Safety compliance 2026-W11: 1 item(s) need attention"
    assert "Ramesh Gohil: First aid expired 2026-01-10" in smtp.messages[0].get_body(("plain",)).get_content()
    clock.tick(timedelta(days=4))  # Monday of the next week
    assert service.send_compliance_digest() == 2
    assert smtp.messages[-1]["Subject"].startswith("Safety compliance 2026-W12")
