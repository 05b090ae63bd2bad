"""The reports demo data: one custom report and the weekly comprehensive schedule, added once."""

import pytest

from app.reports import seed, service

pytestmark = pytest.mark.usefixtures("clock")


def test_seed_adds_a_custom_report_and_a_weekly_comprehensive_schedule_once(make_user):
    make_user("admin", email=seed.DEMO_ADMIN)
    operator = make_user("operator", email=seed.DEMO_OPERATOR)
    seed.seed_demo()
    seed.seed_demo()
    [report] = service.list_reports(user=operator)
    assert report.title == seed.CUSTOM_TITLE and report.status == "done" and report.spec["group_by"] == "type"
    kinds = sorted((s.kind, s.format, s.cron) for s in service.list_schedules())
    assert kinds == [("bookings", "xlsx", "0 7 * * 1"), ("comprehensive", "pdf", "30 7 * * 1")]
