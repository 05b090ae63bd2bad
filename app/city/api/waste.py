"""Waste: bins, collection routes, collections and analytics."""

from __future__ import annotations

from datetime import timedelta

from app.city import schemas as s
from app.city import service
from app.city.api.blueprint import blp
from app.core.idempotency import idempotent
from app.core.pagination import PAGINATION, paginate
from app.core.security import OPERATOR, roles_required
from app.core.timeutil import utcnow


@blp.route("/waste/bins", methods=["GET"])
@roles_required(OPERATOR)
@blp.arguments(s.BinQuerySchema, location="query")
@blp.response(200, s.WasteBinSchema(many=True))
@blp.paginate(**PAGINATION)
def list_bins(query, pagination_parameters):
    """Bins with fill level (from their sensors), capacity and last emptied, fullest first."""
    return paginate(service.list_bins(**query), pagination_parameters)


@blp.route("/waste/bins", methods=["POST"])
@roles_required(OPERATOR)
@idempotent
@blp.arguments(s.BinInputSchema)
@blp.response(201, s.WasteBinSchema)
def create_bin(data):
    """Add a bin, optionally measured by a waste_bin sensor."""
    return service.create_bin(**data)


@blp.route("/waste/bins/<int:bin_id>", methods=["PATCH"])
@roles_required(OPERATOR)
@blp.arguments(s.BinChangeSchema)
@blp.response(200, s.WasteBinSchema)
@blp.alt_response(404, response="NOT_FOUND")
def update_bin(data, bin_id):
    """Change a bin, or set its fill level by hand."""
    return service.update_bin(bin_id=bin_id, values=data)


@blp.route("/waste/routes", methods=["POST"])
@roles_required(OPERATOR)
@idempotent
@blp.arguments(s.RoutePlanInputSchema)
@blp.response(201, s.RoutePlanSchema)
def plan_routes(data):
    """Solve collection routes over the bins above the threshold (each once, loads within capacity)."""
    return service.plan_view(service.plan_collection_routes(**data))


@blp.route("/waste/routes/latest", methods=["GET"])
@roles_required(OPERATOR)
@blp.response(200, s.RoutePlanSchema)
@blp.alt_response(404, response="NOT_FOUND")
def latest_route_plan():
    """The most recent route plan."""
    plan = service.latest_plan()
    if plan is None:
        from app.city.errors import PlanNotFound

        raise PlanNotFound("No routes have been planned yet.")
    return service.plan_view(plan)


@blp.route("/waste/collections", methods=["GET"])
@roles_required(OPERATOR)
@blp.arguments(s.CollectionQuerySchema, location="query")
@blp.response(200, s.WasteCollectionSchema(many=True))
@blp.paginate(**PAGINATION)
def list_collections(query, pagination_parameters):
    """Collections, newest first."""
    return paginate(service.list_collections(**query), pagination_parameters)


@blp.route("/waste/collections", methods=["POST"])
@roles_required(OPERATOR)
@idempotent
@blp.arguments(s.CollectionInputSchema)
@blp.response(201, s.WasteCollectionSchema(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def record_collection(data):
    """Schedule collections (a bin, or every stop of a plan) or record one done, with weight and cost."""
    return service.record_collection(**data)


@blp.route("/waste/collections/<int:collection_id>/complete", methods=["POST"])
@roles_required(OPERATOR)
@blp.arguments(s.CollectionCompleteSchema)
@blp.response(200, s.WasteCollectionSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="invalid_transition")
def complete_collection(data, collection_id):
    """Record a scheduled collection as done; its bin is emptied."""
    return service.complete_collection(collection_id=collection_id, **data)


@blp.route("/waste/analytics", methods=["GET"])
@roles_required(OPERATOR)
@blp.arguments(s.PeriodQuerySchema, location="query")
@blp.response(200)
def analytics(query):
    """Tonnage, recycling share and costs per zone over a period (default: the last 30 days)."""
    end = query.get("end") or utcnow()
    return service.waste_analytics(start=query.get("start") or end - timedelta(days=30), end=end)


@blp.route("/waste/collections/<int:collection_id>/cancel", methods=["POST"])
@roles_required(OPERATOR)
@blp.response(200, s.WasteCollectionSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="invalid_transition")
def cancel_collection(collection_id):
    """Cancel a scheduled collection."""
    return service.cancel_collection(collection_id=collection_id)
