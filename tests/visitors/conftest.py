"""Visitors fixtures: staff and hosts, invitations on a frozen clock, a real SMTP server, real face photos."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.timeutil import to_local
from app.visitors import service
from tests.conftest import START as CLOCK_START
from tests.visitors import photos

# The root clock's 05:30 IST plus four and a half hours: 10:00 at the trust's office, a Monday morning.
START = CLOCK_START + timedelta(hours=4, minutes=30)
TODAY = to_local(START, "Asia/Kolkata").date()  # START's date in the city


@pytest.fixture(autouse=True)
def frozen_clock(clock):
    """Every visitors test runs on the root ``clock``, moved to START; tests move it on with ``move_to``."""
    clock.move_to(START)
    return clock


@pytest.fixture
def reception(make_user):
    return make_user("reception", email="desk@trust.example.in")


@pytest.fixture
def host(make_user):
    return make_user("user", email="meera.host@trust.example.in", phone="+919812345678")


@pytest.fixture
def visitor_details():
    return {"name": "Ravi Contractor", "phone": "98765 43210", "email": "ravi@builders.example.in",
            "id_type": "aadhaar", "id_number": "2345 6789 0123"}


@pytest.fixture
def invite(reception, host, visitor_details):
    """invite(**overrides) -> a new visit's view (reception invites for ``host`` in an hour, by default)."""

    def _invite(actor=None, visitor=None, **overrides):
        fields = {"host_id": host.id, "purpose": "Temple kitchen plumbing repair",
                  "expected_at": START + timedelta(hours=1), **overrides}
        return service.invite_visitor(actor=actor or reception, visitor=visitor or dict(visitor_details), **fields)

    return _invite


@pytest.fixture
def mailbox(app, monkeypatch):
    """A real SMTP server wired into the config; yields it (``.messages`` are parsed e-mails)."""
    from tests.platform.servers import SMTPServer

    monkeypatch.setitem(app.config, "NOTIFY_BACKOFF_SECONDS", 0)
    with SMTPServer() as smtp:
        monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
        monkeypatch.setitem(app.config, "SMTP_PORT", smtp.port)
        yield smtp


def biometrics_missing() -> str | None:
    from app.visitors.faces.engine import unavailable_reason

    return unavailable_reason()


needs_biometrics = pytest.mark.skipif(biometrics_missing() is not None,
                                      reason=f"face biometrics extra not installed: {biometrics_missing()}")


@pytest.fixture(scope="session")
def face_photos() -> dict[str, bytes]:
    """Real portraits (see tests/visitors/photos.py): obama, obama2, obama3, biden, as JPEG bytes."""
    if biometrics_missing():
        pytest.skip(f"face biometrics extra not installed: {biometrics_missing()}")
    return photos.load_photos()
