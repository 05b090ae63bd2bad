"""Sensors, readings (HTTP ingest) and series."""

from __future__ import annotations

import hashlib

from flask import current_app, g, request

from app.city import schemas as s
from app.city import service
from app.city.api.blueprint import blp
from app.city.catalogue import catalogue
from app.city.wire import parse_batch
from app.core.errors import ValidationFailed
from app.core.idempotency import idempotent
from app.core.pagination import PAGINATION, paginate
from app.core.parsing import UnsupportedMediaType
from app.core.schemas import ErrorSchema
from app.core.security import DEVICE_HEADER, OPERATOR, device_required, roles_required
from app.extensions import limiter


def readings_limit() -> str:
    return current_app.config["READINGS_RATE_LIMIT"]


def device_key_bucket() -> str:
    """Rate-limit readings per device key (a gateway behind one address must not starve the others)."""
    return hashlib.sha256(request.headers.get(DEVICE_HEADER, "").encode()).hexdigest()[:16]


@blp.route("/metrics", methods=["GET"])
@blp.response(200, s.CityMetricSchema(many=True))
def list_metrics():
    """The metric catalogue: names, units, plausible ranges, sensor kinds (public)."""
    return catalogue()


@blp.route("/sensors", methods=["GET"])
@blp.arguments(s.SensorQuerySchema, location="query")
@blp.response(200, s.SensorSchema(many=True))
@blp.paginate(**PAGINATION)
def list_sensors(query, pagination_parameters):
    """List sensors with their latest reading per metric (public)."""
    return service.sensor_views(paginate(service.list_sensors(**query), pagination_parameters))


@blp.route("/sensors", methods=["POST"])
@roles_required(OPERATOR)
@idempotent
@blp.arguments(s.SensorInputSchema)
@blp.response(201, s.SensorSchema)
def create_sensor(data):
    """Register a sensor, optionally bound to a device of kind sensor (whose key then sends its readings)."""
    return service.sensor_view(service.create_sensor(**data).id)


@blp.route("/sensors/<int:sensor_id>", methods=["GET"])
@blp.response(200, s.SensorSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get_sensor(sensor_id):
    """One sensor with its latest reading per metric and last_seen_at (public)."""
    return service.sensor_view(sensor_id)


@blp.route("/sensors/<int:sensor_id>/readings", methods=["GET"])
@blp.arguments(s.SeriesQuerySchema, location="query")
@blp.response(200, s.SeriesPointSchema(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def sensor_readings(query, sensor_id):
    """A sensor's series of one metric, raw or bucketed 5m/1h/1d with avg/min/max/count (public)."""
    return service.sensor_series(sensor_id=sensor_id, **query)


@blp.route("/readings", methods=["POST"])
@device_required
@limiter.limit(readings_limit, key_func=device_key_bucket)
@blp.doc(requestBody={"required": True, "content": {"application/json": {"schema": s.ReadingsBodySchema}}})
@blp.response(202, s.IngestResultSchema)
@blp.alt_response(403, response="FORBIDDEN", description="the device is not of kind sensor")
@blp.alt_response(413, schema=ErrorSchema, description="batch_too_large: more than 5 000 readings")
@blp.alt_response(422, schema=ErrorSchema, description="the body is not {readings: [...]}")
def post_readings():
    """Store up to 5 000 readings from the calling device; bad ones are refused one by one."""
    if not request.is_json:
        raise UnsupportedMediaType()
    body = parse_batch(request.get_data())
    if not isinstance(body, dict) or set(body) != {"readings"}:
        raise ValidationFailed({"readings": ["The body must be {\"readings\": [...]}."]})
    return service.ingest_readings(device_id=g.current_device.id, device_kind=g.current_device.kind,
                                   readings=body["readings"])
