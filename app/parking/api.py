"""Parking endpoints: /parking/lots, /parking/reservations, statistics (API.md "parking")."""

from __future__ import annotations

from flask_jwt_extended import get_current_user

from app.core.cache import cached_response
from app.core.idempotency import idempotent
from app.core.pagination import PAGINATION
from app.core.parsing import Blueprint
from app.core.security import ADMIN, login_required, roles_required
from app.parking import schemas as s
from app.parking import service

blp = Blueprint("parking", __name__, url_prefix="/api/v1/parking",
                description="Parking lots, spots, reservations and their figures (VP-*)")


@blp.route("/lots", methods=["GET"])
@cached_response("parking.lots_page", timeout=60, invalidated_by=("parking.",))
@blp.arguments(s.LotQuerySchema, location="query")
@blp.response(200, s.LotSchema(many=True))
def list_lots(query):
    """List open lots with their free spots (`available=true`: only lots with a free spot)."""
    return service.list_lots(available_only=bool(query.get("available")))


@blp.route("/lots", methods=["POST"])
@roles_required(ADMIN)
@idempotent
@blp.arguments(s.LotInputSchema)
@blp.response(201, s.LotSchema)
def create_lot(data):
    """Create a lot; its spots are numbered 1..total_spots."""
    return service.create_lot(**data)


@blp.route("/lots/<int:lot_id>", methods=["GET"])
@blp.response(200, s.LotSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get_lot(lot_id):
    """Return one lot with its free spots."""
    return service.lot_detail(lot_id=lot_id)


@blp.route("/lots/<int:lot_id>", methods=["PUT"])
@roles_required(ADMIN)
@blp.arguments(s.LotInputSchema)
@blp.response(200, s.LotSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def update_lot(data, lot_id):
    """Replace a lot's details; a smaller `total_spots` removes free spots from the end (409 if occupied)."""
    return service.update_lot(lot_id=lot_id, **data)


@blp.route("/lots/<int:lot_id>", methods=["DELETE"])
@roles_required(ADMIN)
@blp.response(204)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def delete_lot(lot_id):
    """Delete a lot (409 while a spot is occupied); its reservation history is kept."""
    service.delete_lot(lot_id=lot_id)


@blp.route("/lots/<int:lot_id>/spots", methods=["GET"])
@roles_required(ADMIN)
@blp.response(200, s.SpotSchema(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def lot_spots(lot_id):
    """List a lot's spots in order, with the active reservation of each occupied one."""
    return service.lot_spots(lot_id=lot_id)


@blp.route("/reservations", methods=["POST"])
@login_required
@idempotent
@blp.arguments(s.ReservationInputSchema)
@blp.response(201, s.ReservationSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="`lot_full`, `already_active` or `idempotency_mismatch`")
def reserve(data):
    """Park in the first free spot of a lot (honours `Idempotency-Key`)."""
    return service.reserve(user_id=get_current_user().id, **data)


@blp.route("/reservations", methods=["GET"])
@login_required
@blp.arguments(s.ReservationQuerySchema, location="query")
@blp.response(200, s.ReservationSchema(many=True))
@blp.paginate(**PAGINATION)
def my_reservations(query, pagination_parameters):
    """List my reservations, newest first (paginated)."""
    return service.my_reservations(user_id=get_current_user().id, pagination_parameters=pagination_parameters,
                                   **query)


@blp.route("/reservations/active", methods=["GET"])
@login_required
@blp.response(200, s.ReservationSchema(many=True))
def my_active():
    """List my active reservation (zero or one)."""
    return service.my_active(user_id=get_current_user().id)


@blp.route("/reservations/<int:reservation_id>", methods=["GET"])
@login_required
@blp.response(200, s.ReservationSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get_reservation(reservation_id):
    """Return one of my reservations (admins: any)."""
    return service.get_reservation(user=get_current_user(), reservation_id=reservation_id)


@blp.route("/reservations/<int:reservation_id>/release", methods=["POST"])
@login_required
@blp.response(200, s.ReservationSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="already_released")
def release(reservation_id):
    """Leave the spot: cost = price per hour × started hours (minimum one); 409 when already released."""
    return service.release(user=get_current_user(), reservation_id=reservation_id)


@blp.route("/me/stats", methods=["GET"])
@login_required
@blp.response(200, s.MyStatsSchema)
def my_stats():
    """My bookings, money spent, most-used lot and current reservation."""
    return service.my_stats(user_id=get_current_user().id)


@blp.route("/stats", methods=["GET"])
@roles_required(ADMIN)
@blp.response(200, s.AdminStatsSchema)
def admin_stats():
    """Occupancy per lot, revenue today and this month (city time), active reservations and users."""
    return service.admin_stats()


@blp.route("/recent-activity", methods=["GET"])
@roles_required(ADMIN)
@blp.arguments(s.ActivityQuerySchema, location="query")
@blp.response(200, s.ActivitySchema(many=True))
def recent_activity(query):
    """The last parks and releases, newest first."""
    return service.recent_activity(**query)
