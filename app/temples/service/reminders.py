"""Booking reminders about two hours before the slot: e-mail and SMS, once per booking."""

from __future__ import annotations

from datetime import timedelta

from app.auth import service as auth_service
from app.core import notify
from app.core.events import transactional
from app.core.timeutil import to_local, utcnow
from app.temples.models import Booking
from app.temples.service.bookings import bookings_due_reminder

LEAD = timedelta(hours=2)


def send_booking_reminders() -> int:
    """Remind every confirmed booking whose slot starts within two hours (safe to run twice)."""
    sent = 0
    for booking in bookings_due_reminder(utcnow(), LEAD):
        sent += _remind(booking)
    return sent


@transactional
def _remind(booking: Booking) -> int:
    user = auth_service.get_user(booking.user_id)
    temple, slot = booking.slot.temple, booking.slot
    start = to_local(slot.starts_at, temple.timezone)
    subject = f"Darshan at {temple.name} today at {start:%H:%M}"
    body = (f"Namaste {user.full_name}, your darshan booking {booking.code} for {booking.party_size} at "
            f"{temple.name} starts at {start:%H:%M} on {start:%d %b}. Bring the QR code from your ticket.")
    count = 0
    if user.email:
        notify.send("email", user.email, subject, body, dedupe_key=f"booking-reminder:{booking.id}:email")
        count += 1
    if user.phone:
        notify.send("sms", user.phone, subject, body, dedupe_key=f"booking-reminder:{booking.id}:sms")
        count += 1
    booking.reminded_at = utcnow()
    return count
