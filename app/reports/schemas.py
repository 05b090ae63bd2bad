"""Reports schemas."""

from __future__ import annotations

from celery.schedules import crontab
from flask import url_for
from marshmallow import ValidationError, fields, validate, validates

from app.core.schemas import BodySchema, Schema
from app.reports.renderers import FORMATS


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


def parse_cron(expression: str) -> crontab:
    """Parse a five-field cron expression (minute hour day month weekday)."""
    parts = expression.split()
    if len(parts) != 5:
        raise ValueError("A cron expression has five fields: minute hour day-of-month month day-of-week.")
    minute, hour, day, month, weekday = parts
    return crontab(minute=minute, hour=hour, day_of_month=day, month_of_year=month, day_of_week=weekday)


class RecipientsSchema(BodySchema):
    emails = fields.List(fields.Email(), load_default=list, validate=validate.Length(max=50))
    chat_webhooks = fields.List(fields.Url(schemes={"http", "https"}), load_default=list,
                                validate=validate.Length(max=10))


class ScheduleCreateSchema(BodySchema):
    kind = fields.String(required=True, validate=validate.Length(min=1, max=40),
                         metadata={"description": "a dataset name, e.g. reservations or bookings"})
    format = fields.String(load_default="pdf", validate=validate.OneOf(tuple(FORMATS)))
    cron = fields.String(required=True, validate=validate.Length(min=9, max=100))
    recipients = fields.Nested(RecipientsSchema, required=True)

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
