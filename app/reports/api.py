"""Reports endpoints: background exports and report schedules (API.md "reports")."""

from __future__ import annotations

import io

from flask import send_file
from flask_jwt_extended import get_current_user

from app.core.idempotency import idempotent
from app.core.pagination import PAGINATION, paginate
from app.core.parsing import Blueprint
from app.core.security import ADMIN, OPERATOR, STAFF, login_required, roles_required
from app.reports import schemas as s
from app.reports import service

blp = Blueprint("reports", __name__, url_prefix="/api/v1",
                description="Exports, custom and comprehensive reports, schedules, dashboards, KPIs, the audit trail")


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


@blp.route("/reports", methods=["POST"])
@roles_required(OPERATOR)
@idempotent
@blp.arguments(s.ReportRequestSchema)
@blp.response(202, s.ReportSchema)
@blp.alt_response(403, response="FORBIDDEN")
def request_report(data):
    """Queue a custom report (PDF, XLSX or CSV): a dataset's rows for a period, optionally grouped, with charts."""
    return service.request_report(user=get_current_user(), **data)


@blp.route("/reports", methods=["GET"])
@roles_required(OPERATOR)
@blp.response(200, s.ReportSchema(many=True))
def list_reports():
    """List custom reports, newest first: your own (operators) or all (admins)."""
    return service.list_reports(user=get_current_user())


@blp.route("/reports/<int:report_id>", methods=["GET"])
@roles_required(OPERATOR)
@blp.response(200, s.ReportSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get_report(report_id):
    """Return a custom report's status (and its download URL once done)."""
    return service.get_report(user=get_current_user(), report_id=report_id)


@blp.route("/reports/<int:report_id>/download", methods=["GET"])
@roles_required(OPERATOR)
@blp.response(200, description="The file (application/pdf, XLSX or text/csv)")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def download_report(report_id):
    """Download a finished custom report with its file name."""
    path, name, content_type = service.report_file(user=get_current_user(), report_id=report_id)
    return send_file(path, mimetype=content_type, as_attachment=True, download_name=name)


@blp.route("/reports/comprehensive", methods=["GET"])
@roles_required(OPERATOR)
@blp.arguments(s.ComprehensiveQuerySchema, location="query")
@blp.response(200, description="application/pdf: every domain's KPIs, trends and tables, with contents")
def comprehensive_report(query):
    """The week's or month's comprehensive PDF (ending on `date`, default today) against the period before."""
    data, name = service.comprehensive_pdf(period=query["period"], day=query["date"])
    response = send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True, download_name=name,
                         max_age=60)
    response.cache_control.public, response.cache_control.private = False, True  # staff figures: no shared caches
    return response


@blp.route("/reports/dashboards/<slug>", methods=["GET"])
@roles_required(*STAFF)
@blp.response(200, s.DashboardSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get_dashboard(slug):
    """A dashboard (executive, temples, parking, safety, visitors, city): your layout or the default, with data."""
    return service.dashboard(user=get_current_user(), slug=slug)


@blp.route("/reports/dashboards/<slug>", methods=["PUT"])
@roles_required(*STAFF)
@blp.arguments(s.DashboardLayoutSchema)
@blp.response(200, s.DashboardSchema)
@blp.alt_response(404, response="NOT_FOUND")
def put_dashboard(data, slug):
    """Store your own layout of a dashboard (at most 24 widgets); returns it with data."""
    user = get_current_user()
    service.save_dashboard(user=user, slug=slug, widgets=data["widgets"])
    return service.dashboard(user=user, slug=slug)


@blp.route("/reports/alerts-summary", methods=["GET"])
@roles_required(*STAFF)
@blp.response(200, s.AlertsSummarySchema)
def alerts_summary():
    """Alerts in force now by severity, by the domain that raised them and by source."""
    return service.alerts_summary()


@blp.route("/reports/weekly", methods=["GET"])
@roles_required(*STAFF)
@blp.response(200, s.WeeklySchema)
def weekly_summary():
    """The last 7 days' daily KPIs (today included) against the 7 days before."""
    return service.weekly()


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
    """Schedule a report (a dataset, a custom spec or the comprehensive PDF) by cron (city time) to e-mails, chats."""
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
