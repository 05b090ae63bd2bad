"""Exports, custom and comprehensive reports, schedules, dashboards, KPIs, audit (CR-4, CR-5, CR-6, SC-2, SC-8)."""

from celery.schedules import crontab

from app.core.domain import Beat, Domain, Screen

DOMAIN = Domain(
    name="reports",
    title="Reports",
    tasks="tasks.exports",
    beat={"scheduled-reports": Beat("tasks.exports.run_due_schedules", crontab(minute="*/5"))},
    screens=(Screen("reports", "Reports", roles=("operator", "safety_officer", "reception")),),
    requires=("auth", "safety"),  # the demo custom report reads the demo incidents
)
