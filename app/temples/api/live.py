"""Temples endpoints: crowds, shuttles, resources and analytics (API.md "temples")."""

from __future__ import annotations

from flask import Response, request

from app.core.errors import ValidationFailed
from app.core.idempotency import idempotent
from app.core.parsing import Blueprint
from app.core.security import OPERATOR, device_or_roles, roles_required
from app.temples import schemas as s
from app.temples import service

blp = Blueprint("crowd", __name__, url_prefix="/api/v1",
                description="Live crowds, heat maps and predictions; shuttles; resources; analytics")


def wants_png() -> bool:
    """A `.png` path or `Accept: image/png` asks for the chart instead of the JSON."""
    best = request.accept_mimetypes.best_match(["application/json", "image/png"])
    return request.path.endswith(".png") or best == "image/png"


def json_or_png(result):
    return Response(result, mimetype="image/png") if isinstance(result, bytes) else result


@blp.route("/temples/<slug>/crowd", methods=["POST"])
@device_or_roles(OPERATOR)
@blp.arguments(s.CrowdPostSchema)
@blp.response(201, description="the updated zones")
@blp.alt_response(404, response="NOT_FOUND")
def post_crowd(data, slug):
    """Post zone counts: `{zone, count}` or `{readings: [{zone, count, at?}]}` (operator or counting device)."""
    readings = data.get("readings") or ([{k: data.get(k) for k in ("zone", "count", "at")}]
                                        if "zone" in data and "count" in data else None)
    if not readings:
        raise ValidationFailed({"readings": ["Send {zone, count} or {readings: [...]}."]})
    return {"updated": service.record_counts(temple_slug=slug, readings=readings)}


@blp.route("/temples/<slug>/crowd/current", methods=["GET"])
@blp.response(200, description="zones with count, capacity, density_pct and level; overall; at")
@blp.alt_response(404, response="NOT_FOUND")
def crowd_current(slug):
    """Current crowd per zone and overall (public)."""
    return service.current_crowd(temple_slug=slug)


@blp.route("/temples/<slug>/crowd/history", methods=["GET"])
@blp.arguments(s.HistoryQuerySchema, location="query")
@blp.response(200, description="series per zone")
@blp.alt_response(404, response="NOT_FOUND")
def crowd_history(query, slug):
    """Crowd history bucketed by 15m, 1h or 1d (public)."""
    return service.history(temple_slug=slug, start=query["since"], end=query["until"], bucket=query["bucket"])


@blp.route("/temples/<slug>/crowd/heatmap", methods=["GET"])
@blp.route("/temples/<slug>/crowd/heatmap.png", methods=["GET"], endpoint="crowd_heatmap_png")
@roles_required(OPERATOR)
@blp.arguments(s.HeatmapQuerySchema, location="query")
@blp.response(200, description="zones × hours JSON, or a PNG with Accept: image/png or the .png path")
@blp.alt_response(404, response="NOT_FOUND")
def crowd_heatmap(query, slug):
    """Crowd heat map (zones × hours of a local date)."""
    return json_or_png(service.heatmap(temple_slug=slug, day=query["date"], as_png=wants_png()))


@blp.route("/temples/<slug>/crowd/predictions", methods=["GET"])
@blp.arguments(s.PredictionQuerySchema, location="query")
@blp.response(200, description="per hour: expected count, band, level and the method")
@blp.alt_response(404, response="NOT_FOUND")
def crowd_predictions(query, slug):
    """Predicted crowd for the next hours (public)."""
    return service.predict(temple_slug=slug, hours=query["hours"])


@blp.route("/temples/<slug>/shuttles", methods=["GET"])
@blp.response(200, s.ShuttleSchema(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def list_shuttles(slug):
    """The temple's shuttles (public)."""
    return service.shuttles_for(temple_slug=slug)


@blp.route("/temples/<slug>/routes", methods=["POST"])
@roles_required(OPERATOR)
@idempotent
@blp.arguments(s.RouteCreateSchema)
@blp.response(201, s.RouteSchema)
def create_route(data, slug):
    """Add a shuttle route with ordered stops."""
    return service.create_route(temple_slug=slug, **data)


@blp.route("/shuttles", methods=["POST"])
@roles_required(OPERATOR)
@idempotent
@blp.arguments(s.ShuttleCreateSchema)
@blp.response(201, s.ShuttleSchema)
def create_shuttle(data):
    """Add a shuttle to a route."""
    return service.create_shuttle(**data)


@blp.route("/shuttles/<int:shuttle_id>", methods=["GET"])
@blp.response(200, s.ShuttleSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get_shuttle(shuttle_id):
    """One shuttle (public)."""
    return service.get_shuttle(shuttle_id=shuttle_id)


@blp.route("/shuttles/<int:shuttle_id>/position", methods=["POST"])
@device_or_roles(OPERATOR)
@blp.arguments(s.PositionSchema)
@blp.response(201, s.ShuttleSchema)
@blp.alt_response(404, response="NOT_FOUND")
def post_position(data, shuttle_id):
    """Report a GPS position (the shuttle's device or an operator); broadcast on `transport`."""
    return service.record_position(shuttle_id=shuttle_id, **data)


@blp.route("/shuttles/<int:shuttle_id>/eta", methods=["GET"])
@blp.response(200, s.EtaSchema(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def shuttle_eta(shuttle_id):
    """ETA and distance along the route to each remaining stop (public)."""
    return service.eta(shuttle_id=shuttle_id)


@blp.route("/temples/<slug>/resources", methods=["GET"])
@roles_required(OPERATOR)
@blp.arguments(s.ResourceQuerySchema, location="query")
@blp.response(200, s.ResourceSchema(many=True))
def list_resources(query, slug):
    """Ambulances, security posts and facilities with status and maintenance dates."""
    return service.list_resources(temple_slug=slug, **query)


@blp.route("/temples/<slug>/resources", methods=["POST"])
@roles_required(OPERATOR)
@idempotent
@blp.arguments(s.ResourceCreateSchema)
@blp.response(201, s.ResourceSchema)
def add_resource(data, slug):
    """Register a resource."""
    return service.add_resource(temple_slug=slug, **data)


@blp.route("/resources/<int:resource_id>", methods=["PATCH"])
@roles_required(OPERATOR)
@blp.arguments(s.ResourceUpdateSchema)
@blp.response(200, s.ResourceSchema)
@blp.alt_response(404, response="NOT_FOUND")
def update_resource(data, resource_id):
    """Change a resource's status, quantity or maintenance date."""
    return service.update_resource(resource_id=resource_id, values=data)


@blp.route("/temples/<slug>/analytics/footfall", methods=["GET"])
@blp.route("/temples/<slug>/analytics/footfall.png", methods=["GET"], endpoint="footfall_png")
@roles_required(OPERATOR)
@blp.arguments(s.FootfallQuerySchema, location="query")
@blp.response(200, description="footfall series, or a PNG chart")
def footfall(query, slug):
    """Footfall per day, week or month (check-ins; crowd counts where there were no bookings)."""
    return json_or_png(service.footfall(temple_slug=slug, period=query["period"], as_png=wants_png()))


@blp.route("/temples/<slug>/analytics/peak-hours", methods=["GET"])
@blp.route("/temples/<slug>/analytics/peak-hours.png", methods=["GET"], endpoint="peak_hours_png")
@roles_required(OPERATOR)
@blp.arguments(s.DaysQuerySchema, location="query")
@blp.response(200, description="hours ranked by mean footfall, or a PNG chart")
def peak_hours(query, slug):
    """Local hours ranked by mean footfall."""
    return json_or_png(service.peak_hours(temple_slug=slug, days=query["days"], as_png=wants_png()))


@blp.route("/temples/<slug>/analytics/bookings", methods=["GET"])
@blp.route("/temples/<slug>/analytics/bookings.png", methods=["GET"], endpoint="bookings_png")
@roles_required(OPERATOR)
@blp.arguments(s.DaysQuerySchema, location="query")
@blp.response(200, description="people booked vs checked in; no-show rate; or a PNG chart")
def bookings_vs_checkins(query, slug):
    """Bookings vs check-ins for ended slots, and the no-show rate."""
    return json_or_png(service.bookings_vs_checkins(temple_slug=slug, days=query["days"], as_png=wants_png()))
