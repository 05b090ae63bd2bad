"""Exports (CSV/XLSX/PDF), scheduled reports, KPIs and trends, the audit trail (CR-4, CR-6, VP-7)."""

from celery.schedules import crontab

from app.core.domain import Beat, Domain

DOMAIN = Domain(
    name="reports",
    title="Reports",
    tasks="tasks.exports",
    beat={"scheduled-reports": Beat("tasks.exports.run_due_schedules", crontab(minute="*/5"))},
    requires=("auth",),
)
