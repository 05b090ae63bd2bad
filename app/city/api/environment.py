"""Environment: AQI per zone (CPCB), trends, noise and weather summaries."""

from __future__ import annotations

from app.city import schemas as s
from app.city import service
from app.city.api.blueprint import blp


@blp.route("/environment/aqi", methods=["GET"])
@blp.arguments(s.AQIQuerySchema, location="query")
@blp.response(200)
@blp.alt_response(404, response="NOT_FOUND")
def air_quality(query):
    """AQI by India's CPCB method for one zone (?zone=) or every zone (public)."""
    if query.get("zone"):
        return service.zone_air_quality(query["zone"])
    return {"zones": service.air_quality_overview()}


@blp.route("/environment/trends", methods=["GET"])
@blp.arguments(s.TrendsQuerySchema, location="query")
@blp.response(200)
def trends(query):
    """Hourly or daily means per zone of one environmental metric over a period (public)."""
    return service.environment_trends(**query)


@blp.route("/environment/summary", methods=["GET"])
@blp.arguments(s.AQIQuerySchema, location="query")
@blp.response(200)
def summary(query):
    """Noise (against the silence-zone limit) and weather per zone over the last 24 hours (public)."""
    return {"zones": service.environment_summaries(zone=query.get("zone"))}
