"""Demo alert history: a few past alerts (expired or cancelled), so lists and exports have rows."""

from __future__ import annotations

from datetime import timedelta

from app.alerts import service
from app.core.timeutil import utcnow

PAST = (
    ("city", None, None, "info", "Festival traffic plan", "One-way traffic around the temples from 05:00 to 23:00."),
    ("temple", "somnath", None, "warning", "Queue at gate 1", "Use gate 3 for the evening aarti."),
    ("zone", "dwarka", "mainDarshan", "warning", "Main darshan hall full", "Entries held for 20 minutes."),
)


def seed_demo() -> None:
    """Add the past alerts once (matched by title)."""
    known = service.alert_titles()
    for scope, temple, zone, severity, title, message in PAST:
        if title not in known:
            alert = service.create_alert(scope=scope, temple=temple, zone=zone, severity=severity, title=title,
                                         message=message, expires_at=utcnow() + timedelta(minutes=1))
            service.cancel_alert(alert_id=alert.id)
