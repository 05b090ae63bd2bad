"""Safety schemas: bodies and queries to load (validated, unknown fields refused), resources to dump."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from marshmallow import ValidationError, fields, validate, validates_schema

from app.core.schemas import BodySchema, ChangeSchema, QuerySchema, Schema
from app.core.timeutil import local_to_utc
from app.safety.models import INCIDENT_TYPES, SEVERITIES, SOS_TYPES, STATUSES, UNIT_KINDS

LAT = {"validate": validate.Range(min=-90, max=90), "metadata": {"example": 20.888}}
LNG = {"validate": validate.Range(min=-180, max=180), "metadata": {"example": 70.4013}}
EDITABLE_UNIT_STATUSES = ("available", "returning", "out_of_service")
ALERT_SEVERITIES = ("info", "warning", "critical")


def text(max_len: int, **kwargs) -> fields.String:
    return fields.String(validate=validate.Length(min=1, max=max_len), **kwargs)


def optional_text(max_len: int) -> fields.String:
    return text(max_len, load_default=None, allow_none=True)


class PeriodBound(fields.Field):
    """A period bound: an ISO datetime with offset, or a date (a whole local day; an end date is inclusive)."""

    def __init__(self, *, end: bool = False, **kwargs):
        kwargs.setdefault("metadata", {"type": "string", "example": "2026-03-01",
                                       "description": "YYYY-MM-DD (city calendar) or ISO 8601 with offset"})
        super().__init__(**kwargs)
        self.end = end

    def _deserialize(self, value, attr, data, **kwargs):
        text_value = str(value).strip()
        try:
            if len(text_value) == 10:
                day = date.fromisoformat(text_value) + timedelta(days=1 if self.end else 0)
                return local_to_utc(day, time(0))
            moment = datetime.fromisoformat(text_value)
        except ValueError as exc:
            raise ValidationError("Use YYYY-MM-DD or an ISO 8601 time with its offset.") from exc
        if moment.tzinfo is None:
            raise ValidationError("Give the time's offset (e.g. +05:30), or a date.")
        return moment.astimezone(UTC)


def _both_or_neither(data: dict) -> None:
    if (data.get("lat") is None) != (data.get("lng") is None):
        raise ValidationError("Give both lat and lng, or neither.", "lat")


# --- incidents ---------------------------------------------------------------------------

class SOSBodySchema(BodySchema):
    type = fields.String(required=True, validate=validate.OneOf(SOS_TYPES))
    lat = fields.Float(required=True, **LAT)
    lng = fields.Float(required=True, **LNG)
    temple = optional_text(64)
    zone = optional_text(64)
    description = optional_text(2000)


class IncidentBodySchema(BodySchema):
    type = fields.String(required=True, validate=validate.OneOf(INCIDENT_TYPES))
    severity = fields.String(required=True, validate=validate.OneOf(SEVERITIES))
    title = text(200, required=True)
    description = optional_text(2000)
    lat = fields.Float(load_default=None, allow_none=True, **LAT)
    lng = fields.Float(load_default=None, allow_none=True, **LNG)
    temple = optional_text(64)
    zone = optional_text(64)
    location_text = optional_text(200)

    @validates_schema
    def _position(self, data, **_kwargs):
        _both_or_neither(data)


class StepBodySchema(BodySchema):
    note = optional_text(2000)


class IncidentQuerySchema(QuerySchema):
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    temple = fields.String(load_default=None, validate=validate.Length(min=1, max=64))
    type = fields.String(load_default=None, validate=validate.OneOf(INCIDENT_TYPES))
    date_from = PeriodBound(load_default=None, data_key="from")
    date_to = PeriodBound(end=True, load_default=None, data_key="to")

    @validates_schema
    def _period(self, data, **_kwargs):
        if data.get("date_from") and data.get("date_to") and data["date_to"] <= data["date_from"]:
            raise ValidationError("`to` must be after `from`.", "to")


class ActiveQuerySchema(QuerySchema):
    temple = fields.String(load_default=None, validate=validate.Length(min=1, max=64))


class IncidentStatsQuerySchema(IncidentQuerySchema):
    class Meta:
        exclude = ("status", "type")


class TimelineStepSchema(Schema):
    at = fields.DateTime()
    action = fields.String()
    status = fields.String()
    by = fields.Function(lambda s: {"kind": s.by_kind, "id": s.by_id, "name": s.by_name},
                         metadata={"type": "object", "description": "{kind: user|device|system, id, name}"})
    note = fields.String(allow_none=True)


class IncidentUnitSchema(Schema):
    unit_id = fields.Integer()
    name = fields.String(attribute="unit.name")
    kind = fields.String(attribute="unit.kind")
    status = fields.Function(lambda d: d.unit.status if d.released_at is None else "released",
                             metadata={"type": "string", "description": "the unit's status, or released"})
    distance_m = fields.Float(allow_none=True)
    dispatched_at = fields.DateTime()
    arrived_at = fields.DateTime(allow_none=True)
    released_at = fields.DateTime(allow_none=True)


def _group(incident) -> list:
    root = incident.primary or incident
    return [root, *root.linked]


class IncidentSchema(Schema):
    code = fields.String()
    type = fields.String()
    severity = fields.String()
    status = fields.String()
    source = fields.String()
    title = fields.String()
    description = fields.String(allow_none=True)
    lat = fields.Float(allow_none=True)
    lng = fields.Float(allow_none=True)
    temple_id = fields.Integer(allow_none=True)
    temple = fields.String(allow_none=True)
    zone = fields.String(allow_none=True)
    location_text = fields.String(allow_none=True)
    reported_by = fields.Function(lambda i: {"id": i.reported_by_id, "name": i.reported_by_name},
                                  metadata={"type": "object", "description": "{id, name}; id null for systems"})
    reported_at = fields.DateTime()
    acknowledged_at = fields.DateTime(allow_none=True)
    started_at = fields.DateTime(allow_none=True)
    resolved_at = fields.DateTime(allow_none=True)
    dispatched_at = fields.DateTime(attribute="first_dispatched_at", allow_none=True)
    arrived_at = fields.DateTime(attribute="first_arrived_at", allow_none=True)
    escalated_at = fields.DateTime(allow_none=True)
    units = fields.List(fields.Nested(IncidentUnitSchema), attribute="dispatches")
    primary = fields.Function(lambda i: i.primary.code if i.primary else None,
                              metadata={"type": "string", "nullable": True, "description": "code it is linked to"})
    related = fields.Function(lambda i: [x.code for x in _group(i) if x.id != i.id],
                              metadata={"type": "array", "items": {"type": "string"}})
    timeline = fields.List(fields.Nested(TimelineStepSchema), attribute="steps",
                           metadata={"description": "oldest first"})


class ResponseTimesSchema(Schema):
    count = fields.Integer()
    mean = fields.Float(allow_none=True, metadata={"description": "minutes"})
    p90 = fields.Float(allow_none=True, metadata={"description": "minutes, 90th percentile"})


class IncidentWeekSchema(Schema):
    week = fields.String(metadata={"example": "2026-W11"})
    starts_on = fields.Date()
    count = fields.Integer()
    by_type = fields.Dict(keys=fields.String(), values=fields.Integer())


class IncidentStatsSchema(Schema):
    temple = fields.String(allow_none=True)
    date_from = fields.DateTime(data_key="from", attribute="from", allow_none=True)
    date_to = fields.DateTime(data_key="to", attribute="to", allow_none=True)
    total = fields.Integer()
    by_type = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_status = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_severity = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_week = fields.List(fields.Nested(IncidentWeekSchema))
    response_minutes = fields.Dict(keys=fields.String(), values=fields.Nested(ResponseTimesSchema),
                                   metadata={"description": "acknowledge, dispatch, arrive, resolve"})


# --- units and dispatch ------------------------------------------------------------------

class UnitBodySchema(BodySchema):
    kind = fields.String(required=True, validate=validate.OneOf(UNIT_KINDS))
    name = text(120, required=True)
    lat = fields.Float(required=True, **LAT)
    lng = fields.Float(required=True, **LNG)
    status = fields.String(load_default="available", validate=validate.OneOf(EDITABLE_UNIT_STATUSES))
    temple = optional_text(64)
    device_id = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1))


class UnitChangeSchema(ChangeSchema):
    name = text(120)
    lat = fields.Float(**LAT)
    lng = fields.Float(**LNG)
    status = fields.String(validate=validate.OneOf(EDITABLE_UNIT_STATUSES))
    temple = fields.String(allow_none=True, validate=validate.Length(min=1, max=64))
    device_id = fields.Integer(allow_none=True, validate=validate.Range(min=1))

    @validates_schema
    def _position(self, data, **_kwargs):
        if ("lat" in data) != ("lng" in data):
            raise ValidationError("Give both lat and lng.", "lat")


class UnitQuerySchema(QuerySchema):
    kind = fields.String(load_default=None, validate=validate.OneOf(UNIT_KINDS))
    status = fields.String(load_default=None, validate=validate.OneOf(
        ("available", "dispatched", "on_scene", "returning", "out_of_service")))


class PositionBodySchema(BodySchema):
    lat = fields.Float(required=True, **LAT)
    lng = fields.Float(required=True, **LNG)
    at = fields.AwareDateTime(load_default=None, allow_none=True)


class DispatchBodySchema(BodySchema):
    unit_id = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1))


class UnitSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    name = fields.String()
    status = fields.String()
    lat = fields.Float()
    lng = fields.Float()
    position_at = fields.DateTime(allow_none=True)
    temple_id = fields.Integer(allow_none=True)
    device_id = fields.Integer(allow_none=True)
    status_changed_at = fields.DateTime()
    incident = fields.Function(lambda u: u.active_dispatch.incident.code if u.active_dispatch else None,
                               metadata={"type": "string", "nullable": True,
                                         "description": "code of the incident it serves, or null"})


class UnitPositionSchema(Schema):
    unit_id = fields.Integer()
    lat = fields.Float()
    lng = fields.Float()
    at = fields.DateTime()


# --- public warnings ---------------------------------------------------------------------

class BroadcastBodySchema(BodySchema):
    severity = fields.String(required=True, validate=validate.OneOf(ALERT_SEVERITIES))
    title = text(200, required=True)
    message = text(1000, required=True)
    scope = fields.String(required=True, validate=validate.OneOf(("city", "temple", "zone")))
    temple = optional_text(64)
    zone = optional_text(64)
    channels = fields.List(fields.String(validate=validate.OneOf(("app", "sms", "signs"))), required=True,
                           validate=validate.Length(min=1, max=3))
    expires_at = fields.AwareDateTime(load_default=None, allow_none=True)

    @validates_schema
    def _scope(self, data, **_kwargs):
        if len(set(data["channels"])) != len(data["channels"]):
            raise ValidationError("Name each channel once.", "channels")
        if data["scope"] != "city" and not data.get("temple"):
            raise ValidationError("A temple or zone warning needs `temple`.", "temple")
        if data["scope"] == "zone" and not data.get("zone"):
            raise ValidationError("A zone warning needs `zone`.", "zone")
        if data["scope"] == "city" and (data.get("temple") or data.get("zone")):
            raise ValidationError("A city-wide warning names no temple or zone.", "scope")


class BroadcastSchema(Schema):
    id = fields.Integer()
    severity = fields.String()
    title = fields.String()
    message = fields.String()
    scope = fields.String()
    temple = fields.String(allow_none=True)
    zone = fields.String(allow_none=True)
    channels = fields.List(fields.String())
    expires_at = fields.DateTime(allow_none=True)
    sent_at = fields.DateTime()
    alert = fields.Dict(allow_none=True, metadata={"description": "the platform alert raised (channel app)"})
    sign_override = fields.Dict(allow_none=True, metadata={"description": "festival-sign override, or null"})
    sms_sent = fields.Integer()
