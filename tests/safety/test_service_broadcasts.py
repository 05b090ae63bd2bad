"""Public warnings (SC-7): a platform alert, SMS to the configured list, the signs override (through the
signs service), an audit entry; bad input changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.alerts.models import Alert
from app.core.audit import AuditEntry
from app.core.errors import ValidationFailed
from app.core.notify import Notification
from app.core.timeutil import utcnow
from app.extensions import db
from app.safety import service
from app.safety.models import Broadcast


def warn(**overrides):
    body = {"severity": "critical", "title": "Evacuate the main hall", "message": "Use the east gate.",
            "scope": "zone", "temple": "somnath", "zone": "mainDarshan", "channels": ["app", "sms", "signs"]}
    return service.send_broadcast(**{**body, **overrides})


def test_one_warning_raises_an_alert_texts_the_list_and_asks_the_signs(app, monkeypatch, servers, somnath, officer,
                                                                       act_as, captured_events):  # SC-7
    _smtp, _chat, sms = servers
    monkeypatch.setitem(app.config, "SAFETY_BROADCAST_SMS", ["+919800000201", "+919800000202"])
    act_as(officer)
    view = service.broadcast_view(warn(expires_at=utcnow() + timedelta(hours=2)))
    assert view["alert"]["severity"] == "critical" and view["alert"]["zone"] == "mainDarshan"
    assert view["alert"]["source"] == "safety" and view["alert"]["active"] is True
    assert view["sms_sent"] == 2 and view["sign_override"]["signs"] == 0  # the zone has no festival sign
    assert sorted(f.split("&")[0] for f in sms.received if "Evacuate" in f) == ["To=%2B919800000201",
                                                                                 "To=%2B919800000202"]
    [sent] = [e for e in captured_events if e.name == "safety.broadcast_sent"]
    assert set(sent.payload) == {"id", "severity", "title", "message", "scope", "temple", "zone", "expires_at"}
    assert any(e.name == "alerts.alert_created" and e.channel == "alerts" for e in captured_events)
    entry = db.session.query(AuditEntry).filter_by(entity="broadcast").one()
    assert entry.actor_id == officer.id and entry.changes["title"] == [None, "Evacuate the main hall"]


def test_channels_choose_what_happens(somnath):
    view = service.broadcast_view(warn(channels=["sms"]))
    assert view["alert"] is None and view["sign_override"] is None and view["sms_sent"] == 0
    assert db.session.query(Alert).count() == 0


def test_a_city_wide_warning_needs_no_temple():
    view = service.broadcast_view(warn(scope="city", temple=None, zone=None, channels=["app"], severity="warning"))
    assert view["alert"]["scope"] == "city" and view["temple"] is None


@pytest.mark.parametrize(("overrides", "field"), [({"temple": "atlantis"}, "temple"),
                                                  ({"expires_at": "past"}, "expires_at")])
def test_bad_input_is_refused_and_nothing_is_sent(app, monkeypatch, somnath, overrides, field):
    monkeypatch.setitem(app.config, "SAFETY_BROADCAST_SMS", ["+919800000201"])
    if overrides.get("expires_at") == "past":
        overrides["expires_at"] = utcnow() - timedelta(minutes=1)
    with pytest.raises(ValidationFailed) as caught:
        warn(**overrides)
    assert field in caught.value.errors
    assert db.session.query(Broadcast).count() == db.session.query(Alert).count() == 0
    assert db.session.query(Notification).count() == 0
