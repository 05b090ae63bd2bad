"""Safety endpoints: emergency units, their positions, arrival and release; public warnings (SC-7)."""

from __future__ import annotations

from app.core.idempotency import idempotent
from app.core.pagination import PAGINATION, paginate
from app.core.security import OPERATOR, SAFETY_OFFICER, device_or_roles, roles_required
from app.safety import schemas as s
from app.safety import service
from app.safety.api.incidents import blp


@blp.route("/units", methods=["GET"])
@roles_required(SAFETY_OFFICER)
@blp.arguments(s.UnitQuerySchema, location="query")
@blp.response(200, s.UnitSchema(many=True))
def list_units(query):
    """Units by kind and name, with status, position and the incident each one serves."""
    return service.list_units(**query)


@blp.route("/units", methods=["POST"])
@roles_required(SAFETY_OFFICER)
@idempotent
@blp.arguments(s.UnitBodySchema)
@blp.response(201, s.UnitSchema)
@blp.alt_response(409, response="CONFLICT")
def create_unit(data):
    """Register an ambulance, fire tender, police unit or medical team (optionally bound to a tracker device)."""
    return service.create_unit(**data)


@blp.route("/units/<int:unit_id>", methods=["PATCH"])
@roles_required(SAFETY_OFFICER)
@blp.arguments(s.UnitChangeSchema)
@blp.response(200, s.UnitSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def update_unit(data, unit_id):
    """Rename, move, rebase, bind a device, or take a unit in or out of service (not while it serves)."""
    return service.update_unit(unit_id=unit_id, **data)


@blp.route("/units/<int:unit_id>/position", methods=["POST"])
@device_or_roles(SAFETY_OFFICER)
@idempotent
@blp.arguments(s.PositionBodySchema)
@blp.response(201, s.UnitPositionSchema)
@blp.alt_response(404, response="NOT_FOUND")
def post_position(data, unit_id):
    """Report a unit's position (its bound tracker device, or a safety officer)."""
    return service.record_position(unit_id=unit_id, **data)


@blp.route("/units/<int:unit_id>/arrived", methods=["POST"])
@device_or_roles(SAFETY_OFFICER)
@blp.response(200, s.UnitSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def unit_arrived(unit_id):
    """Record that a dispatched unit is on scene."""
    return service.unit_arrived(unit_id=unit_id)


@blp.route("/units/<int:unit_id>/released", methods=["POST"])
@device_or_roles(SAFETY_OFFICER)
@blp.response(200, s.UnitSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def unit_released(unit_id):
    """Release a unit from its incident: it is available again."""
    return service.unit_released(unit_id=unit_id)


@blp.route("/broadcasts", methods=["POST"])
@roles_required(SAFETY_OFFICER)
@idempotent
@blp.arguments(s.BroadcastBodySchema)
@blp.response(201, s.BroadcastSchema)
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def send_broadcast(data):
    """Send a public warning: a platform alert (`app`), SMS (`sms`), an override of the area's festival signs."""
    return service.broadcast_view(service.send_broadcast(**data))


@blp.route("/broadcasts", methods=["GET"])
@roles_required(OPERATOR, SAFETY_OFFICER)
@blp.response(200, s.BroadcastSchema(many=True))
@blp.paginate(**PAGINATION)
def list_broadcasts(pagination_parameters):
    """Public warnings sent, newest first."""
    return [service.broadcast_view(b) for b in paginate(service.list_broadcasts(), pagination_parameters)]
