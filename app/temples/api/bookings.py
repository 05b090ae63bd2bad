"""Temples endpoints: temples, zones, darshan slots and bookings (API.md "temples").

Crowd, shuttles, resources and analytics routes live in api_live.py on the same blueprint.
"""

from __future__ import annotations

from flask import Response, request
from flask_jwt_extended import get_current_user
from flask_smorest import Blueprint

from app.core.errors import ValidationFailed
from app.core.pagination import PAGINATION, paginate
from app.core.security import ADMIN, OPERATOR, login_required, roles_required
from app.core.timeutil import local_today
from app.temples import bookings, service, tickets
from app.temples import schemas as s

IDEMPOTENCY_KEY_MAX = 80

blp = Blueprint("temples", __name__, url_prefix="/api/v1", description="Temples, darshan slots, bookings, crowds")


@blp.route("/temples", methods=["GET"])
@blp.response(200, s.TempleSchema(many=True))
def list_temples():
    """List the temples with their zones (public)."""
    return service.list_temples()


@blp.route("/temples", methods=["POST"])
@roles_required(ADMIN)
@blp.arguments(s.TempleCreateSchema)
@blp.response(201, s.TempleSchema)
@blp.alt_response(409, response="CONFLICT")
def create_temple(data):
    """Add a temple with its zones."""
    return service.create_temple(**data)


@blp.route("/temples/<slug>", methods=["GET"])
@blp.response(200, s.TempleSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get_temple(slug):
    """Return one temple (public)."""
    return service.get_temple(slug)


@blp.route("/temples/<slug>/zones", methods=["POST"])
@roles_required(ADMIN)
@blp.arguments(s.ZoneCreateSchema)
@blp.response(201, s.ZoneSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def add_zone(data, slug):
    """Add a zone with its capacity to a temple."""
    return service.add_zone(temple=service.get_temple(slug), **data)


@blp.route("/temples/<slug>/slots", methods=["POST"])
@roles_required(OPERATOR)
@blp.arguments(s.SlotGenerateSchema)
@blp.response(201, s.SlotSchema(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def generate_slots(data, slug):
    """Generate darshan slots for a date range (local times); existing slots are kept, not duplicated."""
    return [bookings.slot_view(x) for x in bookings.generate_slots(temple=service.get_temple(slug), **data)]


@blp.route("/temples/<slug>/slots", methods=["GET"])
@blp.arguments(s.SlotQuerySchema, location="query")
@blp.response(200, s.SlotSchema(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def list_slots(query, slug):
    """Availability: the temple's slots for a date with seats left (public)."""
    temple = service.get_temple(slug)
    day = query["date"] or local_today(temple.timezone)
    return [bookings.slot_view(x) for x in bookings.slots_for_day(temple=temple, day=day)]


@blp.route("/slots/<int:slot_id>", methods=["PATCH"])
@roles_required(OPERATOR)
@blp.arguments(s.SlotChangeSchema)
@blp.response(200, s.SlotSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def change_slot(data, slot_id):
    """Close or reopen a slot, or change its capacity (never below what is booked)."""
    return bookings.slot_view(bookings.change_slot(slot_id=slot_id, **data))


@blp.route("/bookings", methods=["POST"])
@login_required
@blp.arguments(s.BookingCreateSchema)
@blp.response(201, s.BookingSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="slot_full, slot_closed")
@blp.doc(parameters=[{"in": "header", "name": "Idempotency-Key",
                      "schema": {"type": "string", "maxLength": IDEMPOTENCY_KEY_MAX},
                      "description": "a retried POST with the same key returns the same booking"}])
def book(data):
    """Book a darshan slot for 1–10 people; the response links the QR code and the ticket."""
    key = (request.headers.get("Idempotency-Key") or "").strip() or None
    if key is not None and len(key) > IDEMPOTENCY_KEY_MAX:
        raise ValidationFailed({"Idempotency-Key": [f"At most {IDEMPOTENCY_KEY_MAX} characters."]})
    return bookings.book_darshan(user=get_current_user(), idempotency_key=key, **data)


@blp.route("/bookings/mine", methods=["GET"])
@login_required
@blp.response(200, s.BookingSchema(many=True))
@blp.paginate(**PAGINATION)
def my_bookings(pagination_parameters):
    """My bookings, newest first."""
    return paginate(bookings.my_bookings(user=get_current_user()), pagination_parameters)


@blp.route("/bookings/check-in", methods=["POST"])
@roles_required(OPERATOR)
@blp.arguments(s.CheckInSchema)
@blp.response(200, s.BookingSchema)
@blp.alt_response(400, response="BAD_REQUEST", description="invalid_token")
@blp.alt_response(409, response="CONFLICT", description="ticket_used, wrong_date, booking_cancelled")
def check_in(data):
    """Admit a booking at the gate from the scanned QR token (valid once, on its date)."""
    return bookings.check_in(token=data["token"])


@blp.route("/bookings/<code>", methods=["GET"])
@login_required
@blp.response(200, s.BookingSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get_booking(code):
    """One booking (its owner or an operator)."""
    return bookings.get_booking(user=get_current_user(), code=code)


@blp.route("/bookings/<code>/cancel", methods=["POST"])
@login_required
@blp.response(200, s.BookingSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def cancel(code):
    """Cancel a booking and free its seats (not after check-in or once the slot has started)."""
    return bookings.cancel_booking(user=get_current_user(), code=code)


@blp.route("/bookings/<code>/qr.png", methods=["GET"])
@login_required
@blp.response(200, description="PNG QR code carrying the signed ticket token")
@blp.alt_response(404, response="NOT_FOUND")
def booking_qr(code):
    """The booking's QR code (owner)."""
    booking = bookings.get_booking(user=get_current_user(), code=code, staff_ok=False)
    return Response(tickets.qr_png(booking), mimetype="image/png")


@blp.route("/bookings/<code>/ticket.pdf", methods=["GET"])
@login_required
@blp.response(200, description="printable PDF ticket")
@blp.alt_response(404, response="NOT_FOUND")
def booking_ticket(code):
    """The printable ticket: temple, slot in local time, party, code and QR (owner)."""
    user = get_current_user()
    booking = bookings.get_booking(user=user, code=code, staff_ok=False)
    return Response(tickets.ticket_pdf(booking, user.full_name), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="darshan-{booking.code}.pdf"'})


from app.temples import api_live  # noqa: E402,F401  (registers crowd/shuttle/resource/analytics routes)
