"""Signs schemas (API.md "signs" and "Socket.IO"): HTTP bodies, sign socket payloads, resources."""

from __future__ import annotations

from marshmallow import INCLUDE, ValidationError, fields, validate, validates_schema

from app.core.schemas import BodySchema, ChangeSchema, QuerySchema, Schema

NAME = validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$",
                       error="Use letters, digits, spaces, '.', '-' or '_' (1–64, a letter or digit first).")
SLUG = validate.Regexp(r"^[a-z][a-z0-9_]{1,63}$", error="Use lower-case letters, digits or _ (2–64).")
PHONE = validate.Regexp(r"^\+[1-9][0-9]{7,14}$", error="Use the international format, e.g. +919812345678.")
LAT, LNG = validate.Range(min=-90, max=90), validate.Range(min=-180, max=180)
SEVERITIES = ("info", "warning", "critical")
CATEGORIES = ("emergency", "weather", "schedule", "traffic", "parking", "wayfinding", "crowd", "attendee",
              "sponsor", "general")
KINDS = ("lost", "found", "meetup")
MAX_TEXT, MAX_SUBMISSION, MAX_NOTICE = 500, 280, 480


# --- signs ---------------------------------------------------------------------------------

class SignCreateSchema(BodySchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    zone = fields.String(required=True, validate=NAME)
    group = fields.String(load_default=None, allow_none=True, validate=NAME)
    temple = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=64),
                           metadata={"description": "slug of the temple the sign's zone belongs to (optional)"})
    lat = fields.Float(required=True, validate=LAT, allow_nan=False)
    lng = fields.Float(required=True, validate=LNG, allow_nan=False)


class SignChangeSchema(ChangeSchema):
    name = fields.String(validate=validate.Length(min=1, max=120))
    zone = fields.String(validate=NAME)
    group = fields.String(allow_none=True, validate=NAME)
    temple = fields.String(allow_none=True, validate=validate.Length(min=1, max=64))
    lat = fields.Float(validate=LAT, allow_nan=False)
    lng = fields.Float(validate=LNG, allow_nan=False)


class SignQuerySchema(QuerySchema):
    zone = fields.String()
    group = fields.String()
    status = fields.String(validate=validate.OneOf(("online", "offline")))


class ShownOverrideSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    text = fields.String()
    severity = fields.String()


class ShownMessageSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    text = fields.String()
    priority = fields.Integer()


class ShowingSchema(Schema):
    override = fields.Nested(ShownOverrideSchema, allow_none=True)
    message = fields.Nested(ShownMessageSchema, allow_none=True)
    messages = fields.Integer(metadata={"description": "how many messages the sign rotates through"})


class SignSchema(Schema):
    id = fields.Integer()
    device_id = fields.Integer()
    name = fields.String()
    temple = fields.String(allow_none=True)
    zone = fields.String()
    group = fields.String(allow_none=True)
    lat = fields.Float()
    lng = fields.Float()
    status = fields.String(metadata={"enum": ["online", "offline"]})
    connected_at = fields.DateTime(allow_none=True)
    last_seen_at = fields.DateTime(allow_none=True)
    battery = fields.Integer(allow_none=True)
    signal_strength = fields.Integer(allow_none=True)
    crowd_density = fields.Float(allow_none=True)
    crowd_count = fields.Integer(allow_none=True)
    impressions = fields.Integer()
    showing = fields.Nested(ShowingSchema)


class SignCreatedSchema(SignSchema):
    key = fields.String(metadata={"description": "the device key, shown this once only"})


class SampleSchema(Schema):
    at = fields.DateTime()
    battery = fields.Integer(allow_none=True)
    signal_strength = fields.Integer(allow_none=True)
    crowd_density = fields.Float(allow_none=True)
    crowd_count = fields.Integer(allow_none=True)


class SampleQuerySchema(QuerySchema):
    since = fields.AwareDateTime(load_default=None, data_key="from")
    until = fields.AwareDateTime(load_default=None, data_key="to")


# --- what signs send over Socket.IO ---------------------------------------------------------

class HeartbeatSchema(BodySchema):
    """Figures a sign reports; a figure left out keeps its last value, null means "no sensor"."""

    battery = fields.Integer(allow_none=True, validate=validate.Range(min=0, max=100),
                             metadata={"description": "percent"})
    signal_strength = fields.Integer(allow_none=True, validate=validate.Range(min=0, max=100),
                                     metadata={"description": "percent"})
    crowd_density = fields.Float(allow_none=True, allow_nan=False, validate=validate.Range(min=0, max=1000),
                                 metadata={"description": "percent of the area's capacity seen by the sign"})
    crowd_count = fields.Integer(allow_none=True, validate=validate.Range(min=0, max=1_000_000))


class MetricsSchema(BodySchema):
    """`impressions` plus any other counters (numbers ≥ 0, at most 20 of them)."""

    class Meta:
        unknown = INCLUDE

    impressions = fields.Integer(required=True, validate=validate.Range(min=0, max=1_000_000))

    @validates_schema
    def _counters(self, data, **_kwargs):
        extra = {k: v for k, v in data.items() if k != "impressions"}
        if len(extra) > 20:
            raise ValidationError("At most 20 counters besides impressions.", "_schema")
        wrong = {k: ["Must be a number ≥ 0 (names up to 40 characters)."] for k, v in extra.items()
                 if len(k) > 40 or isinstance(v, bool) or not isinstance(v, int | float) or v < 0 or v != v}
        if wrong:
            raise ValidationError(wrong)


class AckSchema(BodySchema):
    message_id = fields.Integer(load_default=None, validate=validate.Range(min=1))
    override_id = fields.Integer(load_default=None, validate=validate.Range(min=1))

    @validates_schema
    def _one(self, data, **_kwargs):
        if (data.get("message_id") is None) == (data.get("override_id") is None):
            raise ValidationError("Give exactly one of message_id or override_id.", "_schema")


# --- templates, messages, overrides ---------------------------------------------------------

class TemplateSchema(Schema):
    slug = fields.String()
    category = fields.String()
    title = fields.String()
    body = fields.String()
    placeholders = fields.List(fields.String())
    translations = fields.Dict(keys=fields.String(), values=fields.String())
    priority = fields.Integer()
    is_default = fields.Boolean()


class TemplateCreateSchema(BodySchema):
    slug = fields.String(required=True, validate=SLUG)
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    title = fields.String(required=True, validate=validate.Length(min=1, max=120))
    body = fields.String(required=True, validate=validate.Length(min=1, max=MAX_TEXT))
    translations = fields.Dict(keys=fields.String(validate=validate.Regexp(r"^[a-z]{2}$")),
                               values=fields.String(validate=validate.Length(min=1, max=MAX_TEXT)),
                               load_default=dict, metadata={"example": {"hi": "…", "gu": "…"}})
    priority = fields.Integer(load_default=50, validate=validate.Range(min=0, max=100))


class TargetsSchema(BodySchema):
    all = fields.Boolean(load_default=None)
    sign_ids = fields.List(fields.Integer(validate=validate.Range(min=1)), validate=validate.Length(min=1, max=1000))
    zones = fields.List(fields.String(validate=validate.Length(min=1, max=64)),
                        validate=validate.Length(min=1, max=100))
    groups = fields.List(fields.String(validate=validate.Length(min=1, max=64)),
                         validate=validate.Length(min=1, max=100))

    @validates_schema
    def _some(self, data, **_kwargs):
        named = [k for k in ("sign_ids", "zones", "groups") if data.get(k)]
        if data.get("all") is False:
            raise ValidationError("Leave out `all` or set it to true.", "all")
        if data.get("all") and named:
            raise ValidationError("`all` cannot be combined with sign_ids, zones or groups.", "all")
        if not data.get("all") and not named:
            raise ValidationError("Name the signs: all, sign_ids, zones or groups.", "_schema")


class _Content(BodySchema):
    template = fields.String(load_default=None, validate=validate.Length(min=1, max=64))
    text = fields.String(load_default=None, validate=validate.Length(min=1, max=MAX_TEXT))
    title = fields.String(load_default=None, validate=validate.Length(min=1, max=120))
    params = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=40)), values=fields.Raw(),
                         load_default=dict)
    targets = fields.Nested(TargetsSchema, required=True)
    expires_at = fields.AwareDateTime(load_default=None, allow_none=True)

    @validates_schema
    def _template_or_text(self, data, **_kwargs):
        if (data.get("template") is None) == (data.get("text") is None):
            raise ValidationError("Give either a template or a text.", "_schema")
        wrong = {k: ["Must be text or a number."] for k, v in (data.get("params") or {}).items()
                 if isinstance(v, bool) or not isinstance(v, str | int | float) or len(str(v)) > 200}
        if wrong:
            raise ValidationError({"params": wrong})


class MessageCreateSchema(_Content):
    starts_at = fields.AwareDateTime(load_default=None, allow_none=True)
    priority = fields.Integer(load_default=None, validate=validate.Range(min=0, max=100),
                              metadata={"description": "defaults to the template's (50 for free text)"})


class OverrideCreateSchema(_Content):
    severity = fields.String(required=True, validate=validate.OneOf(SEVERITIES))


class DeliverySchema(Schema):
    sign = fields.Dict(metadata={"description": "{id, name, zone}"})
    sent_at = fields.DateTime(allow_none=True)
    acked_at = fields.DateTime(allow_none=True)
    flagged = fields.Boolean(metadata={"description": "an override not acknowledged in time"})


class _ContentSchema(Schema):
    id = fields.Integer()
    template = fields.String(allow_none=True)
    params = fields.Dict(allow_none=True)
    title = fields.String()
    text = fields.String()
    texts = fields.Dict(keys=fields.String(), values=fields.String())
    priority = fields.Integer()
    targets = fields.Dict()
    source = fields.String()
    created_at = fields.DateTime()
    expires_at = fields.DateTime(allow_none=True)
    signs = fields.Integer(metadata={"description": "signs targeted"})
    sent = fields.Integer()
    acknowledged = fields.Integer()
    deliveries = fields.List(fields.Nested(DeliverySchema))


class MessageSchema(_ContentSchema):
    category = fields.String()
    starts_at = fields.DateTime()
    status = fields.String(metadata={"enum": ["scheduled", "showing", "expired"]})


class OverrideSchema(_ContentSchema):
    severity = fields.String()
    status = fields.String(metadata={"enum": ["proposed", "active", "cancelled", "expired"]})
    activated_at = fields.DateTime(allow_none=True)
    ended_at = fields.DateTime(allow_none=True)
    flagged = fields.Integer(metadata={"description": "signs that did not acknowledge in time"})


class OverrideQuerySchema(QuerySchema):
    status = fields.String(validate=validate.OneOf(("proposed", "active", "cancelled", "expired")))


# --- submissions, subscribers, notices --------------------------------------------------------

class SubmissionCreateSchema(BodySchema):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    text = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    zone = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=64))
    contact = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=100))


class SubmissionSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    text = fields.String()
    zone = fields.String(allow_none=True)
    contact = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": ["pending", "approved", "rejected"]})
    reason = fields.String(allow_none=True)
    message_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    moderated_at = fields.DateTime(allow_none=True)


class PublicSubmissionSchema(Schema):
    """What the public form gets back (the note stays invisible until approved)."""

    id = fields.Integer()
    kind = fields.String()
    status = fields.String()
    created_at = fields.DateTime()


class SubmissionQuerySchema(QuerySchema):
    status = fields.String(validate=validate.OneOf(("pending", "approved", "rejected")))


class ApproveSchema(BodySchema):
    zone = fields.String(load_default=None, validate=validate.Length(min=1, max=64))
    expires_at = fields.AwareDateTime(load_default=None, allow_none=True)


class RejectSchema(BodySchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=300))


class SubscriberCreateSchema(BodySchema):
    phone = fields.String(required=True, validate=PHONE)
    zone = fields.String(required=True, validate=validate.Length(min=1, max=64))


class SubscriberSchema(Schema):
    phone = fields.String()
    zone = fields.String()
    created_at = fields.DateTime()


class NotifySchema(BodySchema):
    channel = fields.String(required=True, validate=validate.OneOf(("sms", "voice")))
    text = fields.String(required=True, validate=validate.Length(min=1, max=MAX_NOTICE))
    to = fields.List(fields.String(validate=PHONE), validate=validate.Length(min=1, max=100), load_default=None)
    zone = fields.String(load_default=None, validate=validate.Length(min=1, max=64))

    @validates_schema
    def _one(self, data, **_kwargs):
        if (data.get("to") is None) == (data.get("zone") is None):
            raise ValidationError("Give either `to` (phone numbers) or `zone` (its subscribers).", "_schema")


class NoticeSchema(Schema):
    id = fields.Integer()
    channel = fields.String()
    text = fields.String()
    zone = fields.String(allow_none=True)
    recipients = fields.Integer(metadata={"description": "numbers the notice was queued for"})
    created_at = fields.DateTime()
