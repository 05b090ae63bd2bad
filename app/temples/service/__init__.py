"""The temples domain's public interface (PW-2 … PW-20): one function per use case.

Feature modules: ``temples`` (temples, zones), ``bookings`` (slots, bookings, check-in), ``booking_search``
(operators find bookings), ``tickets`` (QR and PDF), ``crowd`` (readings, levels, history, heat map),
``predictions``, ``shuttles``, ``resources``, ``analytics``, ``reminders``, ``figures`` (KPIs and export rows);
quota releases and their fair
queue: ``releases`` (the release's life), ``queue`` (the booking request: now, or a ticket), ``admission`` (the
admitters), ``queue_tickets`` and ``queue_store`` (Redis or in-process).
"""

from app.temples.service.admission import admit_waiting, run_admission, serve_release, sweep_releases
from app.temples.service.analytics import bookings_vs_checkins, footfall, peak_hours
from app.temples.service.booking_search import bookers, search_bookings
from app.temples.service.bookings import (
    book_darshan,
    cancel_booking,
    change_slot,
    check_in,
    generate_slots,
    get_booking,
    get_slot,
    my_bookings,
    slots_for_day,
    ticket_token,
)
from app.temples.service.crowd import crowd_snapshot, current_crowd, heatmap, history, level_for, record_counts
from app.temples.service.figures import (
    booking_rows,
    bookings_cancelled,
    bookings_made,
    crowd_now,
    crowd_rows,
    pilgrims_booked,
    pilgrims_checked_in,
)
from app.temples.service.predictions import predict
from app.temples.service.queue import is_ticket, on_booking_cancelled, queue_ticket, request_booking, watch_ticket
from app.temples.service.releases import (
    change_release,
    close_release,
    create_release,
    get_release,
    list_releases,
    open_release,
    show_release,
)
from app.temples.service.reminders import send_booking_reminders
from app.temples.service.resources import add_resource, list_resources, remind_maintenance_due, update_resource
from app.temples.service.shuttles import create_route, create_shuttle, eta, get_shuttle, record_position, shuttles_for
from app.temples.service.temples import add_zone, create_temple, get_temple, list_temples, resolve_temple
from app.temples.service.tickets import booking_qr, booking_ticket

__all__ = [
    "admit_waiting", "change_release", "close_release", "create_release", "get_release", "is_ticket",
    "list_releases", "on_booking_cancelled", "open_release", "queue_ticket", "request_booking", "show_release",
    "run_admission", "serve_release", "sweep_releases", "watch_ticket",
    "add_resource", "add_zone", "book_darshan", "bookers", "booking_qr", "booking_rows", "booking_ticket",
    "bookings_cancelled", "bookings_made", "bookings_vs_checkins", "cancel_booking", "change_slot", "check_in",
    "create_route", "create_shuttle", "create_temple", "crowd_now", "crowd_rows", "crowd_snapshot",
    "current_crowd", "eta", "footfall", "generate_slots", "get_booking", "get_shuttle", "get_slot", "get_temple",
    "heatmap", "history", "level_for", "list_resources", "list_temples", "my_bookings", "peak_hours",
    "pilgrims_booked", "pilgrims_checked_in", "predict", "record_counts", "record_position",
    "remind_maintenance_due", "resolve_temple", "search_bookings", "send_booking_reminders", "shuttles_for",
    "slots_for_day", "ticket_token", "update_resource",
]
