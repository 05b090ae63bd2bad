"""Parking request and response schemas (API.md "parking")."""

from __future__ import annotations

import re

from marshmallow import ValidationError, fields, validate

from app.core.schemas import BodySchema, Money, QuerySchema, Schema

PIN_CODE = validate.Regexp(r"^[1-9][0-9]{5}$", error="Enter a 6-digit PIN code (it cannot start with 0).")
# State code, district number, optional series, four digits (GJ11AB1234) — or the BH series (22BH1234AB).
PLATE = re.compile(r"^([A-Z]{2}[0-9]{1,2}[A-Z]{0,3}[0-9]{4}|[0-9]{2}BH[0-9]{4}[A-Z]{1,2})$")
MAX_SPOTS = 5000


class VehicleNumber(fields.String):
    """An Indian registration number, normalised to upper case without spaces or dashes."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        plate = re.sub(r"[\s-]+", "", text).upper()
        if not PLATE.match(plate):
            raise ValidationError("Enter a vehicle registration number such as GJ 11 AB 1234.")
        return plate


def positive_price(value) -> None:
    """Prices are more than 0 and at most 100000 (a plain validator: apispec renders Decimal bounds as strings)."""
    if not 0 < value <= 100000:
        raise ValidationError("Must be more than 0 and at most 100000.")


class LotInputSchema(BodySchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    address = fields.String(required=True, validate=validate.Length(min=1, max=300))
    pin_code = fields.String(required=True, validate=PIN_CODE)
    price_per_hour = fields.Decimal(required=True, places=2, validate=positive_price,
                                    metadata={"description": "INR per started hour, more than 0", "example": "30.00",
                                              "minimum": 0.01, "maximum": 100000})
    total_spots = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=MAX_SPOTS))
    lat = fields.Float(load_default=None, allow_none=True, validate=validate.Range(min=-90, max=90),
                       metadata={"description": "where the lot is (maps, linking incidents nearby)"})
    lng = fields.Float(load_default=None, allow_none=True, validate=validate.Range(min=-180, max=180))


class LotSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    address = fields.String()
    pin_code = fields.String()
    price_per_hour = Money()
    total_spots = fields.Integer()
    available_spots = fields.Integer()
    lat = fields.Float(allow_none=True)
    lng = fields.Float(allow_none=True)


class LotQuerySchema(QuerySchema):
    available = fields.Boolean(metadata={"description": "only lots with a free spot (true)"})


class LotSummarySchema(Schema):
    id = fields.Integer()
    name = fields.String()
    address = fields.String()
    pin_code = fields.String()


class SpotReservationSchema(Schema):
    id = fields.Integer()
    user_id = fields.Integer()
    vehicle_number = fields.String()
    parked_at = fields.DateTime()


class SpotSchema(Schema):
    id = fields.Integer()
    number = fields.Integer()
    status = fields.String(metadata={"description": "free | occupied"})
    reservation = fields.Nested(SpotReservationSchema, allow_none=True)


class ReservationInputSchema(BodySchema):
    lot_id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    vehicle_number = VehicleNumber(required=True, validate=validate.Length(min=4, max=20),
                                   metadata={"example": "GJ 11 AB 1234"})


class ReservationSchema(Schema):
    id = fields.Integer()
    lot_id = fields.Integer()
    lot = fields.Nested(LotSummarySchema)
    spot_number = fields.Integer()
    vehicle_number = fields.String()
    status = fields.String(metadata={"description": "active | released"})
    price_per_hour = Money()
    parked_at = fields.DateTime()
    left_at = fields.DateTime(allow_none=True)
    hours = fields.Integer(allow_none=True, metadata={"description": "started hours billed (released only)"})
    cost = Money(allow_none=True)


class ReservationQuerySchema(QuerySchema):
    status = fields.String(validate=validate.OneOf(("active", "released")))


class LotUsageSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    reservations = fields.Integer()


class MyStatsSchema(Schema):
    bookings = fields.Integer()
    total_spent = Money()
    hours_parked = fields.Float()
    most_used_lot = fields.Nested(LotUsageSchema, allow_none=True)
    active_reservation = fields.Nested(ReservationSchema, allow_none=True)


class LotOccupancySchema(Schema):
    id = fields.Integer()
    name = fields.String()
    total_spots = fields.Integer()
    occupied = fields.Integer()
    available = fields.Integer()
    occupancy_pct = fields.Float()


class RevenueSchema(Schema):
    today = Money()
    month = Money()


class AdminStatsSchema(Schema):
    lots = fields.List(fields.Nested(LotOccupancySchema))
    revenue = fields.Nested(RevenueSchema)
    active_reservations = fields.Integer()
    reservations_today = fields.Integer()
    users = fields.Integer()
    at = fields.DateTime()


class ActivityQuerySchema(QuerySchema):
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class ActivitySchema(Schema):
    kind = fields.String(metadata={"description": "park | release"})
    at = fields.DateTime()
    reservation_id = fields.Integer()
    user_id = fields.Integer()
    lot_id = fields.Integer()
    lot = fields.String()
    spot_number = fields.Integer()
    vehicle_number = fields.String()
    cost = Money(allow_none=True)
