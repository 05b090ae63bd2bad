"""Demo schedule: the week's bookings as XLSX to the demo admin every Monday at 07:00 (city time)."""

from __future__ import annotations

from app.auth import service as auth_service
from app.reports import service

DEMO_ADMIN = "admin@demo.sangam.local"


def seed_demo() -> None:
    """Add the weekly demo schedule once."""
    admin = auth_service.find_user_by_email(DEMO_ADMIN)
    if admin is None or any(s.recipients.get("emails") == [DEMO_ADMIN] for s in service.list_schedules()):
        return
    service.create_schedule(user=admin, kind="bookings", format="xlsx", cron="0 7 * * 1",
                            recipients={"emails": [DEMO_ADMIN], "chat_webhooks": []})
