"""Reports schemas."""

from __future__ import annotations

from flask import url_for
from marshmallow import ValidationError, fields, post_load, validate, validates
from webargs.fields import DelimitedList

from app.core.renderers import FORMATS
from app.core.schemas import BodySchema, QuerySchema, Schema
from app.core.timeutil import parse_cron


class ExportRequestSchema(BodySchema):
    dataset = fields.String(required=True, validate=validate.Length(min=1, max=40))
    format = fields.String(required=True, validate=validate.OneOf(tuple(FORMATS)))
    filters = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True), load_default=dict)


class ExportJobSchema(Schema):
    id = fields.Integer()
    dataset = fields.String()
    format = fields.String()
    filters = fields.Dict()
    status = fields.String(metadata={"description": "queued, running, done or failed"})
    rows = fields.Integer(allow_none=True)
    error = fields.String(allow_none=True)
    download_url = fields.Method("_download_url", allow_none=True)
    created_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)
    expires_at = fields.DateTime()

    def _download_url(self, job):
        return url_for("reports.download_export", job_id=job.id) if job.status == "done" else None


class PeriodSchema(BodySchema):
    date_from = fields.Date(required=True, data_key="from")
    date_to = fields.Date(required=True, data_key="to")

    @post_load
    def _keys(self, data, **_kwargs):
        return {"from": data["date_from"], "to": data["date_to"]}


class ReportSpecSchema(BodySchema):
    """What a custom report shows: rows of a dataset, optionally grouped, with metrics."""

    title = fields.String(required=True, validate=validate.Length(min=1, max=160))
    dataset = fields.String(required=True, validate=validate.Length(min=1, max=40))
    filters = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True), load_default=dict)
    group_by = fields.String(load_default=None, validate=validate.Length(min=1, max=40),
                             metadata={"description": "a column key of the dataset (a date-time groups by day)"})
    metrics = fields.List(fields.String(validate=validate.Length(min=1, max=60)), load_default=None,
                          validate=validate.Length(max=10),
                          metadata={"description": "count, sum:<column> or avg:<column> (numeric columns)"})
    period = fields.Nested(PeriodSchema, load_default=None, metadata={"description": "{from, to}: local dates"})


class ReportRequestSchema(ReportSpecSchema):
    format = fields.String(required=True, validate=validate.OneOf(tuple(FORMATS)))


class ReportSchema(ExportJobSchema):
    title = fields.String()
    group_by = fields.Function(lambda job: (job.spec or {}).get("group_by"))
    metrics = fields.Function(lambda job: (job.spec or {}).get("metrics") or [])
    period = fields.Function(lambda job: (job.spec or {}).get("period"))
    download_url = fields.Method("_report_url", allow_none=True)

    def _report_url(self, job):
        return url_for("reports.download_report", report_id=job.id) if job.status == "done" else None


class ComprehensiveSpecSchema(BodySchema):
    period = fields.String(load_default="week", validate=validate.OneOf(("week", "month")))


class RecipientsSchema(BodySchema):
    emails = fields.List(fields.Email(), load_default=list, validate=validate.Length(max=50))
    chat_webhooks = fields.List(fields.Url(schemes={"http", "https"}), load_default=list,
                                validate=validate.Length(max=10))


class ScheduleCreateSchema(BodySchema):
    kind = fields.String(required=True, validate=validate.Length(min=1, max=40),
                         metadata={"description": "a dataset name (bookings, reservations, …), custom or "
                                                  "comprehensive"})
    format = fields.String(load_default="pdf", validate=validate.OneOf(tuple(FORMATS)))
    cron = fields.String(required=True, validate=validate.Length(min=9, max=100))
    recipients = fields.Nested(RecipientsSchema, required=True)
    spec = fields.Dict(load_default=None, metadata={"description": "custom: {title, dataset, filters?, group_by?, "
                                                                  "metrics?, period?}; comprehensive: {period}"})

    @post_load
    def _spec(self, data, **_kwargs):
        schema = {"custom": ReportSpecSchema, "comprehensive": ComprehensiveSpecSchema}.get(data["kind"])
        if schema is None:
            data["spec"] = None
            return data
        try:
            data["spec"] = schema().load(data["spec"] or {})
        except ValidationError as exc:
            raise ValidationError({"spec": exc.messages}) from exc
        return data

    @validates("cron")
    def _cron(self, value, **_kwargs):
        try:
            parse_cron(value)
        except (ValueError, TypeError) as exc:
            raise ValidationError(f"Not a valid cron expression: {exc}") from exc


class ScheduleSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    format = fields.String()
    cron = fields.String()
    recipients = fields.Dict()
    created_at = fields.DateTime()
    last_run_at = fields.DateTime(allow_none=True)
    spec = fields.Dict(allow_none=True)
    period_key = fields.String(allow_none=True, metadata={"description": "the cron time last sent, YYYYMMDDHHMM"})


class KpiQuerySchema(QuerySchema):
    date = fields.Date(load_default=None, metadata={"description": "a local date (default today, city time)"})


class KpiSchema(Schema):
    name = fields.String(metadata={"description": "domain.metric, e.g. temples.bookings"})
    title = fields.String()
    domain = fields.String()
    unit = fields.String(metadata={"description": "count, people, INR (a 2-place string) or %"})
    kind = fields.String(metadata={"description": "daily (the day's total) or live (a gauge, today only)"})
    value = fields.Raw(allow_none=True)
    previous = fields.Raw(allow_none=True, metadata={"description": "the day before (daily KPIs)"})
    change_pct = fields.Float(allow_none=True, metadata={"description": "against the day before"})


class KpisSchema(Schema):
    date = fields.Date()
    timezone = fields.String()
    generated_at = fields.DateTime()
    kpis = fields.List(fields.Nested(KpiSchema))


class TrendQuerySchema(QuerySchema):
    metrics = DelimitedList(fields.String(validate=validate.Length(min=1, max=60)),
                            validate=validate.Length(min=1, max=50,
                                                     error="Name 1 to 50 metrics, or leave `metrics` out."),
                            metadata={"description": "comma-separated metric names (default: all daily)"})
    date_from = fields.Date(load_default=None, data_key="from", metadata={"description": "default: 29 days before to"})
    date_to = fields.Date(load_default=None, data_key="to", metadata={"description": "default: today (city time)"})


class TrendPointSchema(Schema):
    date = fields.String()
    value = fields.Raw()


class TrendSeriesSchema(Schema):
    name = fields.String()
    title = fields.String()
    domain = fields.String()
    unit = fields.String()
    points = fields.List(fields.Nested(TrendPointSchema))


class TrendsSchema(Schema):
    date_from = fields.Date(data_key="from")
    date_to = fields.Date(data_key="to")
    timezone = fields.String()
    series = fields.List(fields.Nested(TrendSeriesSchema))


class AuditEntrySchema(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    actor_kind = fields.String()
    actor_id = fields.Integer(allow_none=True)
    actor_label = fields.String(allow_none=True)
    action = fields.String()
    entity = fields.String()
    entity_id = fields.String(allow_none=True)
    event = fields.String()
    changes = fields.Dict(allow_none=True)
    request_id = fields.String(allow_none=True)
    ip = fields.String(allow_none=True)


class AuditQuerySchema(QuerySchema):
    actor_id = fields.Integer(load_default=None)
    actor_kind = fields.String(load_default=None, validate=validate.OneOf(("user", "device", "system", "anonymous")))
    entity = fields.String(load_default=None, validate=validate.Length(max=40))
    entity_id = fields.String(load_default=None, validate=validate.Length(max=64))
    action = fields.String(load_default=None, validate=validate.Length(max=40))
    since = fields.AwareDateTime(load_default=None, data_key="from")
    until = fields.AwareDateTime(load_default=None, data_key="to")


class ComprehensiveQuerySchema(QuerySchema):
    period = fields.String(load_default="week", validate=validate.OneOf(("week", "month")))
    date = fields.Date(load_default=None, metadata={"description": "the period's last local day (default today)"})


class WidgetSchema(BodySchema):
    kind = fields.String(required=True, validate=validate.OneOf(("kpi", "series", "table", "map", "heatmap")))
    source = fields.String(required=True, validate=validate.Length(min=1, max=60))
    title = fields.String(load_default=None, validate=validate.Length(max=80))
    days = fields.Integer(load_default=None, validate=validate.Range(1, 90), metadata={"description": "series"})
    limit = fields.Integer(load_default=None, validate=validate.Range(1, 50), metadata={"description": "table"})


class DashboardLayoutSchema(BodySchema):
    widgets = fields.List(fields.Nested(WidgetSchema), required=True,
                          validate=validate.Length(max=24, error="At most 24 widgets."))


class WidgetDataSchema(Schema):
    kind = fields.String()
    source = fields.String()
    title = fields.String()
    data = fields.Raw(allow_none=True, metadata={"description": "what the kind draws (docs/reports.md)"})
    error = fields.String(allow_none=True)


class DashboardSchema(Schema):
    slug = fields.String()
    title = fields.String()
    custom = fields.Boolean(metadata={"description": "true when the layout is the user's own"})
    widgets = fields.List(fields.Nested(WidgetDataSchema))


class WeeklySchema(Schema):
    date_from = fields.Date(data_key="from")
    date_to = fields.Date(data_key="to")
    previous_from = fields.Date()
    previous_to = fields.Date()
    timezone = fields.String()
    generated_at = fields.DateTime()
    figures = fields.List(fields.Nested(KpiSchema), metadata={"description": "value: the 7 days' total"})


class AlertsSummarySchema(Schema):
    generated_at = fields.DateTime()
    total = fields.Integer()
    by_severity = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_domain = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_source = fields.Dict(keys=fields.String(), values=fields.Integer())
    latest = fields.List(fields.Dict())
