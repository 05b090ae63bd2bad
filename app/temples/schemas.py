"""Temples schemas (API.md "temples")."""

from __future__ import annotations

from flask import url_for
from marshmallow import ValidationError, fields, validate, validates_schema

from app.core.schemas import BodySchema, ChangeSchema, QuerySchema, Schema

HH_MM = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"

SLUG = validate.Regexp(r"^[a-zA-Z][a-zA-Z0-9_-]{1,63}$", error="Use letters, digits, - or _ (2–64, a letter first).")
LAT, LNG = validate.Range(min=-90, max=90), validate.Range(min=-180, max=180)
RESOURCE_KINDS = ("ambulance", "security_post", "facility")
RESOURCE_STATUS = ("available", "in_use", "maintenance")


class ZoneSchema(Schema):
    slug = fields.String()
    name = fields.String()
    capacity = fields.Integer()


class TempleSchema(Schema):
    id = fields.Integer()
    slug = fields.String()
    name = fields.String()
    location = fields.String()
    lat = fields.Float()
    lng = fields.Float()
    timezone = fields.String()
    zones = fields.List(fields.Nested(ZoneSchema))


class ZoneCreateSchema(BodySchema):
    slug = fields.String(required=True, validate=SLUG)
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    capacity = fields.Integer(required=True, validate=validate.Range(min=1, max=1_000_000))


class TempleCreateSchema(BodySchema):
    slug = fields.String(required=True, validate=SLUG)
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    location = fields.String(required=True, validate=validate.Length(min=1, max=120))
    lat = fields.Float(required=True, validate=LAT)
    lng = fields.Float(required=True, validate=LNG)
    timezone = fields.String(load_default="Asia/Kolkata", validate=validate.OneOf(("Asia/Kolkata",)))
    code_prefix = fields.String(load_default=None, validate=validate.Regexp(r"^[A-Za-z]{3}$"))
    zones = fields.List(fields.Nested(ZoneCreateSchema), load_default=list)


class SlotGenerateSchema(BodySchema):
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    start_time = fields.Time(required=True, metadata={"example": "06:00", "pattern": HH_MM})
    end_time = fields.Time(required=True, metadata={"example": "20:00", "pattern": HH_MM})
    slot_minutes = fields.Integer(required=True, validate=validate.Range(min=10, max=240))
    capacity = fields.Integer(required=True, validate=validate.Range(min=1, max=100_000))


class SlotSchema(Schema):
    id = fields.Integer()
    temple = fields.String(attribute="temple.slug")
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    capacity = fields.Integer()
    booked = fields.Integer()
    available = fields.Integer(metadata={"description": "seats left to book (0 once the slot has started)"})
    status = fields.String(attribute="shown_status", metadata={"description": "open while bookable, else closed"})


class SlotQuerySchema(QuerySchema):
    date = fields.Date(load_default=None, metadata={"description": "local date (default today)"})


class SlotChangeSchema(ChangeSchema):
    capacity = fields.Integer(validate=validate.Range(min=0, max=100_000))
    status = fields.String(validate=validate.OneOf(("open", "closed")))


class VisitorSchema(BodySchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    age = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0, max=130))


class BookingCreateSchema(BodySchema):
    slot_id = fields.Integer(required=True, validate=validate.Range(min=1))
    party_size = fields.Integer(required=True, validate=validate.Range(min=1, max=10))
    visitors = fields.List(fields.Nested(VisitorSchema), load_default=list, validate=validate.Length(max=10))


class BookingSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    status = fields.String()
    party_size = fields.Integer()
    visitors = fields.List(fields.Dict(), allow_none=True)
    slot = fields.Nested(SlotSchema)
    created_at = fields.DateTime()
    checked_in_at = fields.DateTime(allow_none=True)
    cancelled_at = fields.DateTime(allow_none=True)
    qr_url = fields.Method("_qr")
    ticket_url = fields.Method("_ticket")

    def _qr(self, booking):
        return url_for("temples.booking_qr", code=booking.code)

    def _ticket(self, booking):
        return url_for("temples.booking_ticket", code=booking.code)


class BookerSchema(Schema):
    id = fields.Integer()
    full_name = fields.String()
    phone = fields.String(allow_none=True)


class BookingFoundSchema(BookingSchema):
    """A booking as operators find it: with the account that booked it."""

    booker = fields.Nested(BookerSchema, allow_none=True)


class BookingSearchQuerySchema(QuerySchema):
    code = fields.String(load_default=None, validate=validate.Length(min=1, max=16),
                         metadata={"description": "booking code or its beginning (any case)"})
    phone = fields.String(load_default=None, validate=validate.Length(min=1, max=30),
                          metadata={"description": "the booker's phone; matches on its last ten digits"})
    name = fields.String(load_default=None, validate=validate.Length(min=2, max=120),
                         metadata={"description": "part of the booker's or a visitor's name"})
    date = fields.Date(load_default=None, metadata={"description": "the slot's local date"})
    temple = fields.String(load_default=None, validate=validate.Length(min=1, max=64))


class CheckInSchema(BodySchema):
    token = fields.String(validate=validate.Length(min=1, max=500), metadata={"description": "the QR's signed token"})
    code = fields.String(validate=validate.Length(min=1, max=16),
                         metadata={"description": "instead of the token: the booking code printed on the ticket, "
                                                  "typed at the gate when the QR cannot be read"})

    @validates_schema
    def _token_or_code(self, data, **_kwargs):
        if ("token" in data) == ("code" in data):
            raise ValidationError("Give the ticket's token or its booking code.", "token")


class CrowdReadingSchema(BodySchema):
    zone = fields.String(required=True, validate=validate.Length(min=1, max=64))
    count = fields.Integer(required=True, validate=validate.Range(min=0, max=1_000_000))
    at = fields.AwareDateTime(load_default=None)


class CrowdPostSchema(BodySchema):
    zone = fields.String(validate=validate.Length(min=1, max=64))
    count = fields.Integer(validate=validate.Range(min=0, max=1_000_000))
    at = fields.AwareDateTime(load_default=None)
    readings = fields.List(fields.Nested(CrowdReadingSchema), validate=validate.Length(min=1, max=500))


class HistoryQuerySchema(QuerySchema):
    since = fields.AwareDateTime(required=True, data_key="from")
    until = fields.AwareDateTime(required=True, data_key="to")
    bucket = fields.String(load_default="1h", validate=validate.OneOf(("15m", "1h", "1d")))


class HeatmapQuerySchema(QuerySchema):
    date = fields.Date(load_default=None)


class PredictionQuerySchema(QuerySchema):
    hours = fields.Integer(load_default=6, validate=validate.Range(min=1, max=48))


class StopSchema(BodySchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    lat = fields.Float(required=True, validate=LAT)
    lng = fields.Float(required=True, validate=LNG)


class RouteCreateSchema(BodySchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    stops = fields.List(fields.Nested(StopSchema), required=True, validate=validate.Length(min=2, max=50))


class ShuttleCreateSchema(BodySchema):
    route_id = fields.Integer(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    capacity = fields.Integer(required=True, validate=validate.Range(min=1, max=200))


class PositionSchema(BodySchema):
    lat = fields.Float(required=True, validate=LAT)
    lng = fields.Float(required=True, validate=LNG)
    passengers = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=0, max=200))
    at = fields.AwareDateTime(load_default=None)


class StopViewSchema(Schema):
    seq = fields.Integer()
    name = fields.String()
    lat = fields.Float()
    lng = fields.Float()


class RouteSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    stops = fields.List(fields.Nested(StopViewSchema))


class PositionViewSchema(Schema):
    lat = fields.Float()
    lng = fields.Float()
    at = fields.DateTime()


class ShuttleSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    capacity = fields.Integer()
    passengers = fields.Integer()
    load_pct = fields.Float()
    position = fields.Nested(PositionViewSchema, allow_none=True)
    route = fields.Nested(RouteSchema)


class EtaSchema(Schema):
    stop = fields.String()
    seq = fields.Integer()
    eta_seconds = fields.Integer()
    distance_m = fields.Integer()


class ResourceCreateSchema(BodySchema):
    kind = fields.String(required=True, validate=validate.OneOf(RESOURCE_KINDS))
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    status = fields.String(load_default="available", validate=validate.OneOf(RESOURCE_STATUS))
    quantity = fields.Integer(load_default=1, validate=validate.Range(min=0, max=10_000))
    next_maintenance = fields.Date(load_default=None, allow_none=True)


class ResourceUpdateSchema(ChangeSchema):
    name = fields.String(validate=validate.Length(min=1, max=120))
    status = fields.String(validate=validate.OneOf(RESOURCE_STATUS))
    quantity = fields.Integer(validate=validate.Range(min=0, max=10_000))
    next_maintenance = fields.Date(allow_none=True)


class ResourceSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    name = fields.String()
    status = fields.String()
    quantity = fields.Integer()
    next_maintenance = fields.Date(allow_none=True)


class ResourceQuerySchema(QuerySchema):
    kind = fields.String(load_default=None, validate=validate.OneOf(RESOURCE_KINDS))
    status = fields.String(load_default=None, validate=validate.OneOf(RESOURCE_STATUS))


class FootfallQuerySchema(QuerySchema):
    period = fields.String(load_default="daily", validate=validate.OneOf(("daily", "weekly", "monthly")))


class DaysQuerySchema(QuerySchema):
    days = fields.Integer(load_default=28, validate=validate.Range(min=1, max=365))


RELEASE_STATUS = ("scheduled", "open", "sold_out", "closed")


class ReleaseCreateSchema(BodySchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    opens_at = fields.AwareDateTime(required=True, metadata={"description": "when the queue starts taking requests"})
    slot_ids = fields.List(fields.Integer(validate=validate.Range(min=1)), required=True,
                           validate=validate.Length(min=1, max=500))
    per_person_limit = fields.Integer(load_default=2, validate=validate.Range(min=1, max=10),
                                      metadata={"description": "bookings one person (account or phone) may get"})
    queued = fields.Boolean(load_default=True, metadata={"description": "sell through the fair queue (else first "
                                                                        "come, first served once open)"})


class ReleaseChangeSchema(ChangeSchema):
    name = fields.String(validate=validate.Length(min=1, max=120))
    opens_at = fields.AwareDateTime()
    per_person_limit = fields.Integer(validate=validate.Range(min=1, max=10))
    queued = fields.Boolean()


class ReleaseQuerySchema(QuerySchema):
    status = fields.String(load_default=None, validate=validate.OneOf(RELEASE_STATUS))


class SeatsSchema(Schema):
    capacity = fields.Integer()
    booked = fields.Integer()
    available = fields.Integer()


class QueueFiguresSchema(Schema):
    waiting = fields.Integer()
    admitted = fields.Integer()
    turned_away = fields.Integer()


class ReleaseSchema(Schema):
    id = fields.Integer()
    temple = fields.String(attribute="temple.slug")
    name = fields.String()
    opens_at = fields.DateTime()
    status = fields.String(metadata={"enum": list(RELEASE_STATUS)})
    queued = fields.Boolean()
    per_person_limit = fields.Integer()
    created_at = fields.DateTime()
    opened_at = fields.DateTime(allow_none=True)
    ended_at = fields.DateTime(allow_none=True)
    seats = fields.Nested(SeatsSchema)
    queue = fields.Nested(QueueFiguresSchema, attribute="queue_figures", allow_none=True)
    slots = fields.List(fields.Nested(SlotSchema))


class QueuedBookingSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    qr_url = fields.String()
    ticket_url = fields.String()


class QueueTicketSchema(Schema):
    ticket = fields.String(metadata={"description": "signed ticket: poll GET /bookings/queue/{ticket} or connect to "
                                                    "Socket.IO namespace /queue with auth {ticket}"})
    release_id = fields.Integer()
    slot_id = fields.Integer(allow_none=True)
    party_size = fields.Integer(allow_none=True)
    number = fields.Integer(allow_none=True, metadata={"description": "arrival order in the release's queue"})
    status = fields.String(metadata={"enum": ["waiting", "admitted", "rejected"]})
    position = fields.Integer(allow_none=True, metadata={"description": "1 = next to be admitted; null once resolved"})
    waiting = fields.Integer(allow_none=True, metadata={"description": "tickets waiting in the queue"})
    estimated_wait_seconds = fields.Integer(allow_none=True)
    poll_after_seconds = fields.Float(allow_none=True, metadata={"description": "when to ask again (also Retry-After)"})
    enqueued_at = fields.String(allow_none=True, metadata={"format": "date-time"})
    resolved_at = fields.String(allow_none=True, metadata={"format": "date-time"})
    booking = fields.Nested(QueuedBookingSchema, allow_none=True)
    error = fields.String(allow_none=True, metadata={"description": "why a rejected ticket was turned away: sold_out, "
                                                                    "release_closed, slot_full, slot_closed, "
                                                                    "release_limit_reached"})
    message = fields.String(allow_none=True)
