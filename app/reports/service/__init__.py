"""The reports domain's public interface: exports and custom reports, schedules, KPIs and trends, the comprehensive
report, dashboards, the weekly and alert summaries, the audit trail."""

from app.reports.service.audit import audit_entries, audit_rows
from app.reports.service.comprehensive import comprehensive_pdf
from app.reports.service.dashboards import dashboard, save_dashboard
from app.reports.service.exports import (
    export_file,
    exports_per_day,
    get_export,
    get_report,
    list_reports,
    purge_expired_exports,
    report_file,
    request_export,
    request_report,
    requeue_stale_exports,
    run_export,
    sees_all,
)
from app.reports.service.kpis import kpis, trends
from app.reports.service.overview import alerts_summary, weekly
from app.reports.service.schedules import create_schedule, delete_schedule, list_schedules, run_due_schedules

__all__ = ["alerts_summary", "audit_entries", "audit_rows", "comprehensive_pdf", "create_schedule", "dashboard",
           "delete_schedule", "export_file", "exports_per_day", "get_export", "get_report", "kpis", "list_reports",
           "list_schedules", "purge_expired_exports", "report_file", "request_export", "request_report",
           "requeue_stale_exports", "run_due_schedules", "run_export", "save_dashboard", "sees_all", "trends",
           "weekly"]
