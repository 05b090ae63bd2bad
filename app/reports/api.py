"""Reports endpoints: background exports and report schedules (API.md "reports")."""

from __future__ import annotations

from flask import send_file
from flask_jwt_extended import get_current_user

from app.core.idempotency import idempotent
from app.core.pagination import PAGINATION, paginate
from app.core.parsing import Blueprint
from app.core.security import ADMIN, OPERATOR, login_required, roles_required
from app.reports import schemas as s
from app.reports import service

blp = Blueprint("reports", __name__, url_prefix="/api/v1",
                description="Exports, scheduled reports, KPIs and trends, the audit trail")


@blp.route("/reports/exports", methods=["POST"])
@login_required
@idempotent
@blp.arguments(s.ExportRequestSchema)
@blp.response(202, s.ExportJobSchema)
@blp.alt_response(403, response="FORBIDDEN")
def request_export(data):
    """Queue an export (CSV, XLSX or PDF) of a dataset: your own rows, or all for admins."""
    return service.request_export(user=get_current_user(), **data)


@blp.route("/reports/exports/<int:job_id>", methods=["GET"])
@login_required
@blp.response(200, s.ExportJobSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get_export(job_id):
    """Return an export's status (and its download URL once done)."""
    return service.get_export(user=get_current_user(), job_id=job_id)


@blp.route("/reports/exports/<int:job_id>/download", methods=["GET"])
@login_required
@blp.response(200, description="The file (text/csv, XLSX or application/pdf)")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def download_export(job_id):
    """Download a finished export with its file name."""
    path, name, content_type = service.export_file(user=get_current_user(), job_id=job_id)
    return send_file(path, mimetype=content_type, as_attachment=True, download_name=name)


@blp.route("/reports/schedules", methods=["GET"])
@roles_required(ADMIN)
@blp.response(200, s.ScheduleSchema(many=True))
def list_schedules():
    """List scheduled reports."""
    return service.list_schedules()


@blp.route("/reports/schedules", methods=["POST"])
@roles_required(ADMIN)
@idempotent
@blp.arguments(s.ScheduleCreateSchema)
@blp.response(201, s.ScheduleSchema)
def create_schedule(data):
    """Schedule a dataset report by cron (city time) to e-mail addresses and chat webhooks."""
    return service.create_schedule(user=get_current_user(), **data)


@blp.route("/reports/schedules/<int:schedule_id>", methods=["DELETE"])
@roles_required(ADMIN)
@blp.response(204)
@blp.alt_response(404, response="NOT_FOUND")
def delete_schedule(schedule_id):
    """Delete a scheduled report."""
    service.delete_schedule(schedule_id=schedule_id)


@blp.route("/reports/kpis", methods=["GET"])
@roles_required(OPERATOR)
@blp.arguments(s.KpiQuerySchema, location="query")
@blp.response(200, s.KpisSchema)
def get_kpis(query):
    """Key figures of every domain for a day (default today) against the day before, plus live gauges."""
    return service.kpis(day=query["date"])


@blp.route("/reports/trends", methods=["GET"])
@roles_required(OPERATOR)
@blp.arguments(s.TrendQuerySchema, location="query")
@blp.response(200, s.TrendsSchema)
def get_trends(query):
    """Daily series (city time) of the daily KPIs over a date range of at most 366 days (default the last 30)."""
    return service.trends(metrics=query.get("metrics"), date_from=query["date_from"], date_to=query["date_to"])


@blp.route("/audit", methods=["GET"])
@roles_required(ADMIN)
@blp.arguments(s.AuditQuerySchema, location="query")
@blp.response(200, s.AuditEntrySchema(many=True))
@blp.paginate(**PAGINATION)
def list_audit(query, pagination_parameters):
    """List audit entries, newest first, filtered by actor, entity, action and time (`from`, `to`)."""
    return paginate(service.audit_entries(**query), pagination_parameters)
