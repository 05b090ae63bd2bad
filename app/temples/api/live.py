"""Temples endpoints: crowd, shuttles, resources and analytics (same blueprint as api.py)."""

from __future__ import annotations

from flask import Response, request

from app.core.errors import ValidationFailed
from app.core.security import OPERATOR, device_or_roles, roles_required
from app.core.timeutil import local_today
from app.temples import analytics, charts, crowd, predictions, resources, service, shuttles
from app.temples import schemas as s
from app.temples.api import blp


def _png(data: bytes) -> Response:
    return Response(data, mimetype="image/png")


def _json_or_png(data: dict, chart):
    """Answer ``data`` as JSON, or ``chart(data)`` as PNG for a `.png` path or `Accept: image/png`."""
    wants_png = request.accept_mimetypes.best_match(["application/json", "image/png"]) == "image/png"
    return _png(chart(data)) if request.path.endswith(".png") or wants_png else data


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
    states = crowd.record_counts(temple=service.get_temple(slug), readings=readings)
    return {"updated": states}


@blp.route("/temples/<slug>/crowd/current", methods=["GET"])
@blp.response(200, description="zones with count, capacity, density_pct and level; overall; at")
@blp.alt_response(404, response="NOT_FOUND")
def crowd_current(slug):
    """Current crowd per zone and overall (public)."""
    return crowd.current(service.get_temple(slug))


@blp.route("/temples/<slug>/crowd/history", methods=["GET"])
@blp.arguments(s.HistoryQuerySchema, location="query")
@blp.response(200, description="series per zone")
@blp.alt_response(404, response="NOT_FOUND")
def crowd_history(query, slug):
    """Crowd history bucketed by 15m, 1h or 1d (public)."""
    data = crowd.history(temple=service.get_temple(slug), start=query["since"], end=query["until"],
                         bucket=query["bucket"])
    return data



@blp.route("/temples/<slug>/crowd/heatmap", methods=["GET"])
@blp.route("/temples/<slug>/crowd/heatmap.png", methods=["GET"], endpoint="crowd_heatmap_png")
@roles_required(OPERATOR)
@blp.arguments(s.HeatmapQuerySchema, location="query")
@blp.response(200, description="zones × hours JSON, or a PNG with Accept: image/png or the .png path")
@blp.alt_response(404, response="NOT_FOUND")
def crowd_heatmap(query, slug):
    """Crowd heat map (zones × hours of a local date)."""
    temple = service.get_temple(slug)
    data = crowd.heatmap(temple=temple, day=query["date"] or local_today(temple.timezone))
    return _json_or_png(data, charts.heatmap_figure)


@blp.route("/temples/<slug>/crowd/predictions", methods=["GET"])
@blp.arguments(s.PredictionQuerySchema, location="query")
@blp.response(200, description="per hour: expected count, band, level and the method")
@blp.alt_response(404, response="NOT_FOUND")
def crowd_predictions(query, slug):
    """Predicted crowd for the next hours (public)."""
    return predictions.predict(temple=service.get_temple(slug), hours=query["hours"])


@blp.route("/temples/<slug>/shuttles", methods=["GET"])
@blp.response(200, description="shuttles with route, stops, position, passengers and capacity")
@blp.alt_response(404, response="NOT_FOUND")
def list_shuttles(slug):
    """The temple's shuttles (public)."""
    return [shuttles.shuttle_view(x) for x in shuttles.shuttles_for(service.get_temple(slug))]


@blp.route("/temples/<slug>/routes", methods=["POST"])
@roles_required(OPERATOR)
@blp.arguments(s.RouteCreateSchema)
@blp.response(201, description="the route with its stops")
def create_route(data, slug):
    """Add a shuttle route with ordered stops."""
    route = shuttles.create_route(temple=service.get_temple(slug), **data)
    return {"id": route.id, "name": route.name,
            "stops": [{"seq": x.seq, "name": x.name, "lat": x.lat, "lng": x.lng} for x in route.stops]}


@blp.route("/shuttles", methods=["POST"])
@roles_required(OPERATOR)
@blp.arguments(s.ShuttleCreateSchema)
@blp.response(201, description="the shuttle")
def create_shuttle(data):
    """Add a shuttle to a route."""
    return shuttles.shuttle_view(shuttles.create_shuttle(**data))


@blp.route("/shuttles/<int:shuttle_id>", methods=["GET"])
@blp.response(200, description="route, stops, position, passengers, capacity")
@blp.alt_response(404, response="NOT_FOUND")
def get_shuttle(shuttle_id):
    """One shuttle (public)."""
    return shuttles.shuttle_view(shuttles.get_shuttle(shuttle_id))


@blp.route("/shuttles/<int:shuttle_id>/position", methods=["POST"])
@device_or_roles(OPERATOR)
@blp.arguments(s.PositionSchema)
@blp.response(201, description="the shuttle")
@blp.alt_response(404, response="NOT_FOUND")
def post_position(data, shuttle_id):
    """Report a GPS position (the shuttle's device or an operator); broadcast on `transport`."""
    return shuttles.shuttle_view(shuttles.record_position(shuttle_id=shuttle_id, **data))


@blp.route("/shuttles/<int:shuttle_id>/eta", methods=["GET"])
@blp.response(200, s.EtaSchema(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def shuttle_eta(shuttle_id):
    """ETA and distance along the route to each remaining stop (public)."""
    return shuttles.eta(shuttle_id=shuttle_id)


@blp.route("/temples/<slug>/resources", methods=["GET"])
@roles_required(OPERATOR)
@blp.arguments(s.ResourceQuerySchema, location="query")
@blp.response(200, s.ResourceSchema(many=True))
def list_resources(query, slug):
    """Ambulances, security posts and facilities with status and maintenance dates."""
    return resources.list_resources(temple=service.get_temple(slug), **query)


@blp.route("/temples/<slug>/resources", methods=["POST"])
@roles_required(OPERATOR)
@blp.arguments(s.ResourceCreateSchema)
@blp.response(201, s.ResourceSchema)
def add_resource(data, slug):
    """Register a resource."""
    return resources.add_resource(temple=service.get_temple(slug), **data)


@blp.route("/resources/<int:resource_id>", methods=["PATCH"])
@roles_required(OPERATOR)
@blp.arguments(s.ResourceUpdateSchema)
@blp.response(200, s.ResourceSchema)
@blp.alt_response(404, response="NOT_FOUND")
def update_resource(data, resource_id):
    """Change a resource's status, quantity or maintenance date."""
    return resources.update_resource(resource_id=resource_id, values=data)


@blp.route("/temples/<slug>/analytics/footfall", methods=["GET"])
@blp.route("/temples/<slug>/analytics/footfall.png", methods=["GET"], endpoint="footfall_png")
@roles_required(OPERATOR)
@blp.arguments(s.FootfallQuerySchema, location="query")
@blp.response(200, description="footfall series, or a PNG chart")
def footfall(query, slug):
    """Footfall per day, week or month (check-ins; crowd counts where there were no bookings)."""
    data = analytics.footfall(temple=service.get_temple(slug), period=query["period"])
    return _json_or_png(data, lambda d: charts.bar_chart(
        f"Footfall ({query['period']}) — {slug}", [x["period_start"] for x in d["series"]],
        [x["footfall"] for x in d["series"]], "visitors"))


@blp.route("/temples/<slug>/analytics/peak-hours", methods=["GET"])
@blp.route("/temples/<slug>/analytics/peak-hours.png", methods=["GET"], endpoint="peak_hours_png")
@roles_required(OPERATOR)
@blp.arguments(s.DaysQuerySchema, location="query")
@blp.response(200, description="hours ranked by mean footfall, or a PNG chart")
def peak_hours(query, slug):
    """Local hours ranked by mean footfall."""
    data = analytics.peak_hours(temple=service.get_temple(slug), days=query["days"])
    by_hour = sorted(data["hours"], key=lambda x: x["hour"])
    return _json_or_png(data, lambda _d: charts.bar_chart(
        f"Mean footfall by hour — {slug}", [f"{x['hour']:02d}" for x in by_hour],
        [x["mean_footfall"] for x in by_hour], "visitors"))


@blp.route("/temples/<slug>/analytics/bookings", methods=["GET"])
@blp.route("/temples/<slug>/analytics/bookings.png", methods=["GET"], endpoint="bookings_png")
@roles_required(OPERATOR)
@blp.arguments(s.DaysQuerySchema, location="query")
@blp.response(200, description="people booked vs checked in; no-show rate; or a PNG chart")
def bookings_vs_checkins(query, slug):
    """Bookings vs check-ins for ended slots, and the no-show rate."""
    data = analytics.bookings_vs_checkins(temple=service.get_temple(slug), days=query["days"])
    return _json_or_png(data, lambda d: charts.bar_chart(
        f"No-shows — {slug}", [x["date"] for x in d["series"]],
        [x["booked"] - x["checked_in"] for x in d["series"]], "people not checked in"))
