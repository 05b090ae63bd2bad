"""The reports domain's public interface: exports, schedules, KPIs and trends, the audit trail."""

from app.reports.service.audit import audit_entries, audit_rows
from app.reports.service.exports import (
    export_file,
    exports_per_day,
    get_export,
    purge_expired_exports,
    request_export,
    requeue_stale_exports,
    run_export,
    sees_all,
)
from app.reports.service.kpis import kpis, trends
from app.reports.service.schedules import create_schedule, delete_schedule, list_schedules, run_due_schedules

__all__ = ["audit_entries", "audit_rows", "create_schedule", "delete_schedule", "export_file", "exports_per_day",
           "get_export", "kpis", "list_schedules", "purge_expired_exports", "request_export",
           "requeue_stale_exports", "run_due_schedules", "run_export", "sees_all", "trends"]
