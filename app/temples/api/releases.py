"""Quota releases and their fair queue (issue 14): operators create, open and close them; anyone may look."""

from __future__ import annotations

from app.core.idempotency import idempotent
from app.core.parsing import Blueprint
from app.core.security import OPERATOR, roles_required
from app.temples import schemas as s
from app.temples import service

blp = Blueprint("temple_releases", __name__, url_prefix="/api/v1",
                description="Quota releases: slots opening at a given time, sold through a fair virtual queue")


@blp.route("/temples/<slug>/releases", methods=["POST"])
@roles_required(OPERATOR)
@idempotent
@blp.arguments(s.ReleaseCreateSchema)
@blp.response(201, s.ReleaseSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="slot_in_release: a slot is sold by another live release")
def create_release(data, slug):
    """Create a quota release of the temple's slots opening at ``opens_at``; the slots are held until then, then
    sold through the queue (202 tickets) until sold out or closed."""
    return service.create_release(temple_slug=slug, **data)


@blp.route("/temples/<slug>/releases", methods=["GET"])
@blp.arguments(s.ReleaseQuerySchema, location="query")
@blp.response(200, s.ReleaseSchema(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def list_releases(query, slug):
    """The temple's releases (latest opening first) with seats and queue figures (public: when does it open?)."""
    return service.list_releases(temple_slug=slug, status=query["status"])


@blp.route("/releases/<int:release_id>", methods=["GET"])
@blp.response(200, s.ReleaseSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get_release(release_id):
    """One release with its slots, seats and queue figures (public)."""
    return service.show_release(release_id=release_id)


@blp.route("/releases/<int:release_id>", methods=["PATCH"])
@roles_required(OPERATOR)
@blp.arguments(s.ReleaseChangeSchema)
@blp.response(200, s.ReleaseSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="invalid_transition: the release has opened")
def change_release(data, release_id):
    """Change a scheduled release's name, opening time, per-person limit or queueing."""
    return service.change_release(release_id=release_id, **data)


@blp.route("/releases/<int:release_id>/open", methods=["POST"])
@roles_required(OPERATOR)
@blp.response(200, s.ReleaseSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="invalid_transition: not scheduled")
def open_release(release_id):
    """Open a scheduled release now instead of at its opening time."""
    return service.open_release(release_id=release_id)


@blp.route("/releases/<int:release_id>/close", methods=["POST"])
@roles_required(OPERATOR)
@blp.response(200, s.ReleaseSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="invalid_transition: already closed")
def close_release(release_id):
    """Close a release: every waiting client is told at once (release_closed); its slots are booked directly again."""
    return service.close_release(release_id=release_id)
