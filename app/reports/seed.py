"""Demo reports: the week's bookings as XLSX every Monday, the weekly comprehensive PDF, and one custom report."""

from __future__ import annotations

from datetime import timedelta

from app.auth import service as auth_service
from app.core.timeutil import local_today
from app.reports import service

DEMO_ADMIN = "admin@demo.sangam.local"
DEMO_OPERATOR = "operator@demo.sangam.local"
CUSTOM_TITLE = "Incidents by type, last 30 days"


def seed_demo() -> None:
    """Add the demo schedules and the demo custom report once each."""
    admin = auth_service.find_user_by_email(DEMO_ADMIN)
    if admin is not None:
        _schedules(admin)
    operator = auth_service.find_user_by_email(DEMO_OPERATOR)
    if operator is not None and not any(r.title == CUSTOM_TITLE for r in service.list_reports(user=operator)):
        today = local_today()
        service.request_report(user=operator, title=CUSTOM_TITLE, dataset="incidents", format="pdf",
                               group_by="type", metrics=["count", "avg:minutes_to_resolve"],
                               period={"from": today - timedelta(days=29), "to": today})


def _schedules(admin) -> None:
    kinds = {s.kind for s in service.list_schedules() if s.recipients.get("emails") == [DEMO_ADMIN]}
    recipients = {"emails": [DEMO_ADMIN], "chat_webhooks": []}
    if "bookings" not in kinds:
        service.create_schedule(user=admin, kind="bookings", format="xlsx", cron="0 7 * * 1", recipients=recipients)
    if "comprehensive" not in kinds:
        service.create_schedule(user=admin, kind="comprehensive", format="pdf", cron="30 7 * * 1",
                                recipients=recipients, spec={"period": "week"})
