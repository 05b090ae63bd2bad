"""Safety fixtures: the root frozen clock, Somnath with zones, people in each role, the real notification servers."""

from __future__ import annotations

import pytest

from app.core import context
from app.core.context import Actor
from app.core.timeutil import to_local
from tests.conftest import PASSWORD, START

SOMNATH = (20.8880, 70.4013)
TODAY = to_local(START, "Asia/Kolkata").date()  # the frozen clock's date in the city
# A Monday at 10:00 in the city, for tests about ISO weeks (they move the clock there).
MONDAY = "2026-03-09T04:30:00+00:00"


@pytest.fixture(autouse=True)
def _frozen(clock):
    """Every safety test starts from the same instant (the root ``clock``: a Monday, 05:30 in Veraval)."""
    return clock


@pytest.fixture(autouse=True)
def _forget_actor():
    yield
    context.reset()


@pytest.fixture
def act_as():
    """act_as(user) -> later service calls are made by that user (as the HTTP layer sets it)."""

    def _act(user) -> None:
        context.set_actor(Actor("user", user.id, user.email))

    return _act


@pytest.fixture
def somnath(app):
    from app.temples import service as temples

    return temples.create_temple(slug="somnath", name="Shree Somnath", location="Veraval", lat=SOMNATH[0],
                                 lng=SOMNATH[1], code_prefix="SOM",
                                 zones=[{"slug": "mainDarshan", "name": "Main darshan hall", "capacity": 100},
                                        {"slug": "garbhaGriha", "name": "Garbha griha", "capacity": 20}])


@pytest.fixture
def person(app):
    """person("safety_officer", "Meera Joshi", phone=None) -> a new active user of that role."""
    from app.auth import service as auth

    def _make(role: str, full_name: str, phone: str | None = None):
        email = full_name.lower().replace(" ", ".") + "@sangam.test"
        return auth.register_user(email=email, password=PASSWORD, full_name=full_name, role=role, phone=phone)

    return _make


@pytest.fixture
def officer(person):
    return person("safety_officer", "Meera Joshi", phone="+919800000101")


@pytest.fixture
def pilgrim(person):
    return person("user", "Asha Patel")


@pytest.fixture
def servers(app, monkeypatch):
    """A real SMTP server, a chat webhook and an SMS provider (Twilio-compatible HTTP), wired into config."""
    from tests.platform.servers import SMTPServer, WebhookServer

    monkeypatch.setitem(app.config, "NOTIFY_BACKOFF_SECONDS", 0)
    with SMTPServer() as smtp, WebhookServer() as chat, WebhookServer() as sms:
        for key, value in (("SMTP_HOST", "127.0.0.1"), ("SMTP_PORT", smtp.port), ("CHAT_WEBHOOK_URLS", [chat.url]),
                           ("SMS_PROVIDER", "twilio"), ("SMS_API_URL", sms.url), ("SMS_FROM", "+15550001111")):
            monkeypatch.setitem(app.config, key, value)
        yield smtp, chat, sms
