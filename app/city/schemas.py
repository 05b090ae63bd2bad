"""City request and response schemas (API.md "city")."""

from __future__ import annotations

from marshmallow import fields, validate

from app.city.catalogue import INCIDENT_KINDS, INCIDENT_SEVERITIES, KINDS, METRICS
from app.core.schemas import BodySchema, ChangeSchema, Money, QuerySchema, Schema, trimmed

LAT = {"validate": validate.Range(min=-90, max=90)}
LNG = {"validate": validate.Range(min=-180, max=180)}


class CityPointSchema(BodySchema):
    lat = fields.Float(required=True, allow_nan=False, **LAT)
    lng = fields.Float(required=True, allow_nan=False, **LNG)


# --- sensors and readings ---
class SensorInputSchema(BodySchema):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    name = trimmed(120, required=True)
    lat = fields.Float(required=True, allow_nan=False, **LAT)
    lng = fields.Float(required=True, allow_nan=False, **LNG)
    zone = trimmed(64, required=True, metadata={"example": "somnath"})
    device_id = fields.Integer(allow_none=True, validate=validate.Range(min=1),
                               metadata={"description": "an auth device of kind sensor; its key sends the readings"})


class SensorQuerySchema(QuerySchema):
    kind = fields.String(validate=validate.OneOf(KINDS))
    zone = fields.String(validate=validate.Length(max=64))


class LatestValueSchema(Schema):
    value = fields.Float()
    unit = fields.String()
    at = fields.DateTime()


class SensorSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    name = fields.String()
    lat = fields.Float()
    lng = fields.Float()
    zone = fields.String()
    device_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    last_seen_at = fields.DateTime(allow_none=True)
    latest = fields.Dict(keys=fields.String(), values=fields.Nested(LatestValueSchema),
                         metadata={"description": "the newest reading per metric"})


class ReadingSchema(Schema):
    """One reading (documentation; POST /city/readings checks readings one by one, see the service)."""

    sensor_id = fields.Integer(metadata={"description": "omit when the device has one sensor"})
    metric = fields.String(required=True, validate=validate.OneOf(list(METRICS)))
    value = fields.Float(required=True)
    at = fields.DateTime(metadata={"description": "ISO 8601 with offset; default now"})


class ReadingsBodySchema(Schema):
    readings = fields.List(fields.Nested(ReadingSchema), required=True, validate=validate.Length(min=1, max=5000))


class RejectedSchema(Schema):
    index = fields.Integer()
    error = fields.String()
    message = fields.String()


class IngestResultSchema(Schema):
    accepted = fields.Integer()
    rejected = fields.List(fields.Nested(RejectedSchema))


class SeriesQuerySchema(QuerySchema):
    metric = fields.String(required=True, validate=validate.OneOf(list(METRICS)))
    start = fields.AwareDateTime(data_key="from", required=True)
    end = fields.AwareDateTime(data_key="to", required=True)
    bucket = fields.String(load_default="1h", validate=validate.OneOf(["raw", "5m", "1h", "1d"]))


class SeriesPointSchema(Schema):
    at = fields.DateTime()
    avg = fields.Float()
    min = fields.Float()
    max = fields.Float()
    count = fields.Integer()


class CityMetricSchema(Schema):
    name = fields.String()
    title = fields.String()
    unit = fields.String()
    min = fields.Float()
    max = fields.Float()
    kinds = fields.List(fields.String())


# --- environment ---
class AQIQuerySchema(QuerySchema):
    zone = fields.String(validate=validate.Length(min=1, max=64))


class TrendsQuerySchema(QuerySchema):
    metric = fields.String(required=True, validate=validate.OneOf(list(METRICS)))
    start = fields.AwareDateTime(data_key="from", required=True)
    end = fields.AwareDateTime(data_key="to", required=True)
    zone = fields.String(validate=validate.Length(min=1, max=64))


# --- traffic ---
class PredictionsQuerySchema(QuerySchema):
    hours = fields.Integer(load_default=6, validate=validate.Range(min=1, max=48))


class SignalPlanQuerySchema(QuerySchema):
    junction = fields.String(required=True, validate=validate.Length(min=1, max=64))


class EmergencyRouteInputSchema(BodySchema):
    origin = fields.Nested(CityPointSchema, data_key="from", required=True)
    destination = fields.Nested(CityPointSchema, data_key="to", required=True)


class IncidentInputSchema(BodySchema):
    kind = fields.String(required=True, validate=validate.OneOf(INCIDENT_KINDS))
    severity = fields.String(required=True, validate=validate.OneOf(INCIDENT_SEVERITIES))
    description = fields.String(validate=validate.Length(max=500))
    segment_id = fields.Integer(validate=validate.Range(min=1))
    lat = fields.Float(allow_nan=False, **LAT)
    lng = fields.Float(allow_nan=False, **LNG)


class IncidentChangeSchema(ChangeSchema):
    status = fields.String(validate=validate.OneOf(["resolved"]))
    severity = fields.String(validate=validate.OneOf(INCIDENT_SEVERITIES))
    description = fields.String(validate=validate.Length(max=500))


class IncidentQuerySchema(QuerySchema):
    status = fields.String(validate=validate.OneOf(["active", "resolved"]))


class TrafficIncidentSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    severity = fields.String()
    description = fields.String(allow_none=True)
    segment_id = fields.Integer(allow_none=True)
    lat = fields.Float(allow_none=True)
    lng = fields.Float(allow_none=True)
    status = fields.String()
    reported_at = fields.DateTime()
    resolved_at = fields.DateTime(allow_none=True)
    reported_by = fields.Integer(allow_none=True)


# --- waste ---
STREAMS = ("mixed", "recyclable", "organic")


class BinInputSchema(BodySchema):
    name = trimmed(120, required=True)
    lat = fields.Float(required=True, allow_nan=False, **LAT)
    lng = fields.Float(required=True, allow_nan=False, **LNG)
    zone = trimmed(64, required=True)
    capacity_l = fields.Integer(required=True, validate=validate.Range(min=10, max=20000))
    stream = fields.String(load_default="mixed", validate=validate.OneOf(STREAMS))
    sensor_id = fields.Integer(allow_none=True, validate=validate.Range(min=1))
    fill_pct = fields.Float(load_default=0.0, allow_nan=False, validate=validate.Range(min=0, max=100))


class BinChangeSchema(ChangeSchema):
    name = trimmed(120)
    zone = trimmed(64)
    capacity_l = fields.Integer(validate=validate.Range(min=10, max=20000))
    stream = fields.String(validate=validate.OneOf(STREAMS))
    sensor_id = fields.Integer(allow_none=True, validate=validate.Range(min=1))
    fill_pct = fields.Float(allow_nan=False, validate=validate.Range(min=0, max=100))


class BinQuerySchema(QuerySchema):
    zone = fields.String(validate=validate.Length(max=64))
    min_fill_pct = fields.Float(validate=validate.Range(min=0, max=100))


class WasteBinSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    lat = fields.Float()
    lng = fields.Float()
    zone = fields.String()
    capacity_l = fields.Integer()
    stream = fields.String()
    sensor_id = fields.Integer(allow_none=True)
    fill_pct = fields.Float()
    fill_at = fields.DateTime(allow_none=True)
    last_emptied_at = fields.DateTime(allow_none=True)
    needs_collection = fields.Boolean()


class RoutePlanInputSchema(BodySchema):
    depot = fields.Nested(CityPointSchema, required=True)
    vehicles = fields.Integer(required=True, validate=validate.Range(min=1, max=20))
    vehicle_capacity_l = fields.Integer(required=True, validate=validate.Range(min=100, max=100000))
    min_fill_pct = fields.Float(allow_nan=False, validate=validate.Range(min=0, max=100))
    zone = fields.String(validate=validate.Length(min=1, max=64),
                         metadata={"description": "only the bins of this zone (default: every zone)"})


class WasteRouteSchema(Schema):
    vehicle = fields.Integer()
    trip = fields.Integer()
    stops = fields.List(fields.Integer(), metadata={"description": "bin ids in visiting order"})
    distance_m = fields.Integer()
    duration_s = fields.Integer()
    load_l = fields.Integer()


class RoutePlanSchema(Schema):
    id = fields.Integer()
    created_at = fields.DateTime()
    depot = fields.Nested(CityPointSchema)
    vehicles = fields.Integer()
    vehicle_capacity_l = fields.Integer()
    min_fill_pct = fields.Float()
    routes = fields.List(fields.Nested(WasteRouteSchema))
    unassigned = fields.List(fields.Dict())
    bins = fields.Integer()
    distance_m = fields.Integer()
    load_l = fields.Integer()
    solve_ms = fields.Integer()


class CollectionInputSchema(BodySchema):
    bin_id = fields.Integer(validate=validate.Range(min=1))
    plan_id = fields.Integer(validate=validate.Range(min=1),
                             metadata={"description": "schedule every stop of a route plan"})
    scheduled_for = fields.AwareDateTime()
    collected_at = fields.AwareDateTime()
    weight_kg = fields.Float(allow_nan=False, validate=validate.Range(min=0, max=20000))
    recyclable_kg = fields.Float(allow_nan=False, validate=validate.Range(min=0, max=20000))
    cost = Money()
    vehicle = fields.Integer(validate=validate.Range(min=1, max=100))


class CollectionCompleteSchema(BodySchema):
    weight_kg = fields.Float(required=True, allow_nan=False, validate=validate.Range(min=0, max=20000))
    recyclable_kg = fields.Float(allow_nan=False, validate=validate.Range(min=0, max=20000))
    cost = Money()
    collected_at = fields.AwareDateTime()


class CollectionQuerySchema(QuerySchema):
    status = fields.String(validate=validate.OneOf(["scheduled", "completed", "cancelled"]))
    start = fields.AwareDateTime(data_key="from")
    end = fields.AwareDateTime(data_key="to")


class WasteCollectionSchema(Schema):
    id = fields.Integer()
    bin_id = fields.Integer()
    plan_id = fields.Integer(allow_none=True)
    vehicle = fields.Integer(allow_none=True)
    status = fields.String()
    scheduled_for = fields.DateTime(allow_none=True)
    collected_at = fields.DateTime(allow_none=True)
    fill_pct = fields.Float(allow_none=True)
    weight_kg = fields.Float(allow_none=True)
    recyclable_kg = fields.Float(allow_none=True)
    cost = Money(allow_none=True)


class PeriodQuerySchema(QuerySchema):
    start = fields.AwareDateTime(data_key="from")
    end = fields.AwareDateTime(data_key="to")


class ForecastQuerySchema(QuerySchema):
    hours = fields.Integer(load_default=24, validate=validate.Range(min=1, max=72))

