"""Temples endpoints: temples, zones, darshan slots and bookings (API.md "temples")."""

from __future__ import annotations

from datetime import time, timedelta

from flask import Response, jsonify, url_for
from flask_jwt_extended import get_current_user

from app.core.cache import cached_response, response_expires_by
from app.core.idempotency import idempotent
from app.core.pagination import PAGINATION, paginate
from app.core.parsing import Blueprint
from app.core.security import ADMIN, OPERATOR, login_required, roles_required
from app.core.timeutil import local_to_utc, local_today
from app.temples import schemas as s
from app.temples import service

blp = Blueprint("temples", __name__, url_prefix="/api/v1", description="Temples, darshan slots and bookings")
TEMPLE_CHANGES = ("temples.temple_", "temples.zone_")  # the events that change a temple or its zones


@blp.route("/temples", methods=["GET"])
@cached_response("temples.list_page", timeout=300, invalidated_by=TEMPLE_CHANGES)
@blp.response(200, s.TempleSchema(many=True))
def list_temples():
    """List the temples with their zones (public)."""
    return service.list_temples()


@blp.route("/temples", methods=["POST"])
@roles_required(ADMIN)
@idempotent
@blp.arguments(s.TempleCreateSchema)
@blp.response(201, s.TempleSchema)
@blp.alt_response(409, response="CONFLICT")
def create_temple(data):
    """Add a temple with its zones."""
    return service.create_temple(**data)


@blp.route("/temples/<slug>", methods=["GET"])
@cached_response("temples.list_page", timeout=300, invalidated_by=TEMPLE_CHANGES)
@blp.response(200, s.TempleSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get_temple(slug):
    """Return one temple (public)."""
    return service.get_temple(slug=slug)


@blp.route("/temples/<slug>/zones", methods=["POST"])
@roles_required(ADMIN)
@idempotent
@blp.arguments(s.ZoneCreateSchema)
@blp.response(201, s.ZoneSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def add_zone(data, slug):
    """Add a zone with its capacity to a temple."""
    return service.add_zone(temple_slug=slug, **data)


@blp.route("/temples/<slug>/slots", methods=["POST"])
@roles_required(OPERATOR)
@idempotent
@blp.arguments(s.SlotGenerateSchema)
@blp.response(201, s.SlotSchema(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def generate_slots(data, slug):
    """Generate darshan slots for a date range (local times); existing slots are kept, not duplicated."""
    return service.generate_slots(temple_slug=slug, **data)


@blp.route("/temples/<slug>/slots", methods=["GET"])
@cached_response("temples.slots_page", timeout=60, invalidated_by=("temples.",))
@blp.arguments(s.SlotQuerySchema, location="query")
@blp.response(200, s.SlotSchema(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def list_slots(query, slug):
    """Availability: the temple's slots for a date (default today) with seats left (public)."""
    slots = service.slots_for_day(temple_slug=slug, day=query["date"])
    # the stored answer changes by itself when an open slot starts (it closes) and, for "today", at midnight
    changes = [slot["starts_at"] for slot in slots if slot["shown_status"] == "open"]
    if query["date"] is None:
        changes.append(local_to_utc(local_today() + timedelta(days=1), time(0)))
    if changes:
        response_expires_by(min(changes))
    return slots


@blp.route("/slots/<int:slot_id>", methods=["PATCH"])
@roles_required(OPERATOR)
@blp.arguments(s.SlotChangeSchema)
@blp.response(200, s.SlotSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def change_slot(data, slot_id):
    """Close or reopen a slot, or change its capacity (never below what is booked)."""
    return service.change_slot(slot_id=slot_id, **data)


@blp.route("/bookings", methods=["POST"])
@login_required
@idempotent
@blp.arguments(s.BookingCreateSchema)
@blp.response(201, s.BookingSchema)
@blp.alt_response(202, schema=s.QueueTicketSchema, success=True,
                  description="The slot is sold by an open queued release: the request holds a place in its queue "
                              "(poll the Location, or watch the ticket on Socket.IO namespace /queue)")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="slot_full, slot_closed, idempotency_mismatch; for a "
                  "release's slot also release_not_open, sold_out, already_queued, release_limit_reached")
@blp.alt_response(503, response="SERVICE_UNAVAILABLE", description="the release's queue is not reachable")
def book(data):
    """Book a darshan slot for 1–10 people (the response links the QR code and the ticket); during a queued quota
    release, take a place in its queue instead (202 with the ticket)."""
    outcome = service.request_booking(user=get_current_user(), **data)
    if not service.is_ticket(outcome):
        return outcome
    return _queued(outcome, 202)


def _queued(view: dict, status: int):
    response = jsonify(s.QueueTicketSchema().dump(view))
    response.status_code = status
    response.headers["Location"] = url_for("temples.queue_ticket", ticket=view["ticket"])
    if view.get("poll_after_seconds"):
        response.headers["Retry-After"] = str(max(1, round(view["poll_after_seconds"])))
    return response


@blp.route("/bookings/queue/<ticket>", methods=["GET"])
@blp.response(200, s.QueueTicketSchema)
@blp.alt_response(400, response="BAD_REQUEST", description="invalid_token: not a ticket Sangam signed")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(503, response="SERVICE_UNAVAILABLE")
def queue_ticket(ticket):
    """Where a queued booking request stands: its position while waiting, then its result (the signed ticket is
    all it takes: no login, no database while it waits). Ask again after poll_after_seconds."""
    view = service.queue_ticket(ticket=ticket)
    return _queued(view, 200) if view["status"] == "waiting" else view


@blp.route("/bookings/mine", methods=["GET"])
@login_required
@blp.response(200, s.BookingSchema(many=True))
@blp.paginate(**PAGINATION)
def my_bookings(pagination_parameters):
    """My bookings, newest first."""
    return paginate(service.my_bookings(user=get_current_user()), pagination_parameters)


@blp.route("/bookings", methods=["GET"])
@roles_required(OPERATOR)
@blp.arguments(s.BookingSearchQuerySchema, location="query")
@blp.response(200, s.BookingFoundSchema(many=True))
@blp.paginate(**PAGINATION)
@blp.alt_response(404, response="NOT_FOUND", description="an unknown temple")
def search_bookings(query, pagination_parameters):
    """Find bookings by code, the booker's phone or name, the slot's date and temple (operator): every criterion
    given must match; at least one is needed."""
    found = paginate(service.search_bookings(code=query["code"], phone=query["phone"], name=query["name"],
                                             day=query["date"], temple_slug=query["temple"]), pagination_parameters)
    return service.bookers(found)


@blp.route("/bookings/check-in", methods=["POST"])
@roles_required(OPERATOR)
@blp.arguments(s.CheckInSchema)
@blp.response(200, s.BookingSchema)
@blp.alt_response(400, response="BAD_REQUEST", description="invalid_token")
@blp.alt_response(404, response="NOT_FOUND", description="no booking with this code")
@blp.alt_response(409, response="CONFLICT", description="ticket_used, wrong_date, booking_cancelled")
def check_in(data):
    """Admit a booking at the gate from the scanned QR token, or its typed code (valid once, on its date)."""
    return service.check_in(token=data.get("token"), code=data.get("code"))


@blp.route("/bookings/<code:code>", methods=["GET"])
@login_required
@blp.response(200, s.BookingSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get_booking(code):
    """One booking (its owner or an operator)."""
    return service.get_booking(user=get_current_user(), code=code)


@blp.route("/bookings/<code:code>/cancel", methods=["POST"])
@login_required
@blp.response(200, s.BookingSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="already_cancelled, already_checked_in, slot_past")
def cancel(code):
    """Cancel a booking and free its seats: its owner, or an operator for any booking (not after check-in or once
    the slot has started)."""
    return service.cancel_booking(user=get_current_user(), code=code)


@blp.route("/bookings/<code:code>/qr.png", methods=["GET"])
@login_required
@blp.response(200, description="PNG QR code carrying the signed ticket token")
@blp.alt_response(404, response="NOT_FOUND")
def booking_qr(code):
    """The booking's QR code (owner)."""
    return Response(service.booking_qr(user=get_current_user(), code=code), mimetype="image/png")


@blp.route("/bookings/<code:code>/ticket.pdf", methods=["GET"])
@login_required
@blp.response(200, description="printable PDF ticket")
@blp.alt_response(404, response="NOT_FOUND")
def booking_ticket(code):
    """The printable ticket: temple, slot in local time, party, code and QR (owner)."""
    pdf, name = service.booking_ticket(user=get_current_user(), code=code)
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'})
