"""Reception desk endpoints: people, RFID cards and the block list."""

from __future__ import annotations

from flask_jwt_extended import get_current_user

from app.core.idempotency import idempotent
from app.core.pagination import PAGINATION, paginate
from app.core.security import RECEPTION, device_or_roles, roles_required
from app.visitors import schemas as s
from app.visitors import service
from app.visitors.api.blueprints import visitors_blp as blp


@blp.route("/people", methods=["POST"])
@roles_required(RECEPTION)
@idempotent
@blp.arguments(s.VisitorInputSchema)
@blp.response(201, s.VisitorPersonSchema)
def record_person(data):
    """Record a person (found again by identity number, or by phone and name) without inviting them."""
    return service.record_person(**data)


@blp.route("/people", methods=["GET"])
@roles_required(RECEPTION)
@blp.arguments(s.VisitorPeopleQuerySchema, location="query")
@blp.response(200, s.VisitorPersonSchema(many=True))
@blp.paginate(**PAGINATION)
def search_people(query, pagination_parameters):
    """Find people by part of their name or phone (`q`), or by exact `phone`."""
    return paginate(service.search_people(**query), pagination_parameters)


@blp.route("/people/<int:person_id>", methods=["GET"])
@roles_required(RECEPTION)
@blp.response(200, s.VisitorPersonSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get_person(person_id):
    """One person."""
    return service.get_person(person_id)


@blp.route("/cards", methods=["POST"])
@roles_required(RECEPTION)
@idempotent
@blp.arguments(s.VisitorCardInputSchema)
@blp.response(201, s.VisitorCardSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="`card_taken`")
def assign_card(data):
    """Assign an RFID card number to a person (numbers are unique)."""
    return service.assign_card(actor_id=get_current_user().id, **data)


@blp.route("/cards/lookup", methods=["POST"])
@device_or_roles(RECEPTION)
@blp.arguments(s.VisitorCardNumberSchema)
@blp.response(200, s.VisitorCardHolderSchema)
@blp.alt_response(404, response="NOT_FOUND")
def lookup_card(data):
    """Who holds this card (reception or a gate reader): blocked?, enrolled?, visits on site or expected."""
    return service.lookup_card(number=data["number"])


@blp.route("/cards/<number>", methods=["DELETE"])
@roles_required(RECEPTION)
@blp.response(204)
@blp.alt_response(404, response="NOT_FOUND")
def release_card(number):
    """Take a card back; its number may then be assigned again."""
    service.release_card(number=number)


@blp.route("/blocklist", methods=["GET"])
@roles_required(RECEPTION)
@blp.response(200, s.VisitorBlockSchema(many=True))
@blp.paginate(**PAGINATION)
def list_blocks(pagination_parameters):
    """The active block list, newest first."""
    return paginate(service.active_blocks(), pagination_parameters)


@blp.route("/blocklist", methods=["POST"])
@roles_required(RECEPTION)
@idempotent
@blp.arguments(s.VisitorBlockInputSchema)
@blp.response(201, s.VisitorBlockSchema)
@blp.alt_response(409, response="CONFLICT", description="`already_blocked`")
def block_person(data):
    """Refuse passes and check-in for a person (by `person_id`, `phone` and/or `id_number`), with a reason."""
    return service.block_person(actor_id=get_current_user().id, **data)


@blp.route("/blocklist", methods=["DELETE"])
@roles_required(RECEPTION)
@blp.arguments(s.VisitorBlockTargetSchema)
@blp.response(204)
@blp.alt_response(404, response="NOT_FOUND")
def lift_block(data):
    """Lift the active entries naming this person, phone or identity number."""
    service.lift_block(actor_id=get_current_user().id, **data)


@blp.route("/blocklist/<int:block_id>", methods=["DELETE"])
@roles_required(RECEPTION)
@blp.response(204)
@blp.alt_response(404, response="NOT_FOUND")
def lift_block_entry(block_id):
    """Lift one block list entry."""
    service.lift_block(actor_id=get_current_user().id, block_id=block_id)
