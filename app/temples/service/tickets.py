"""QR codes and printable tickets for bookings (PW-2)."""

from __future__ import annotations

import io

import segno

from app.core.timeutil import to_local
from app.temples.models import Booking
from app.temples.service.bookings import get_booking, ticket_token


def qr_png(booking: Booking, scale: int = 8) -> bytes:
    """A PNG QR code carrying the booking's signed token."""
    buffer = io.BytesIO()
    segno.make(ticket_token(booking), error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def ticket_pdf(booking: Booking, holder: str) -> bytes:
    """A one-page A5 ticket: temple, slot in local time, party, code and the QR code."""
    from reportlab.lib.pagesizes import A5
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    slot, temple = booking.slot, booking.slot.temple
    start, end = to_local(slot.starts_at, temple.timezone), to_local(slot.ends_at, temple.timezone)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A5)
    width, height = A5
    pdf.setTitle(f"Darshan ticket {booking.code}")
    pdf.setFont("Helvetica-Bold", 18)
    pdf.drawCentredString(width / 2, height - 50, temple.name)
    pdf.setFont("Helvetica", 11)
    pdf.drawCentredString(width / 2, height - 68, temple.location)
    lines = [f"Darshan: {start:%A %d %B %Y}", f"Time: {start:%H:%M} – {end:%H:%M} ({temple.timezone})",
             f"Party: {booking.party_size} " + ("person" if booking.party_size == 1 else "people"),
             f"Booked by: {holder}", f"Status: {booking.status}"]
    for name in (v.get("name") for v in booking.visitors or []):
        lines.append(f"  · {name}")
    y = height - 110
    for line in lines:
        pdf.drawString(40, y, line)
        y -= 16
    pdf.drawImage(ImageReader(io.BytesIO(qr_png(booking, scale=6))), width / 2 - 90, 90, 180, 180)
    pdf.setFont("Helvetica-Bold", 20)
    pdf.drawCentredString(width / 2, 65, booking.code)
    pdf.setFont("Helvetica", 8)
    pdf.drawCentredString(width / 2, 45, "Show this QR code at the gate. Valid once, on the date above.")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def booking_qr(*, user, code: str) -> bytes:
    """The QR code (PNG) of one of the user's own bookings."""
    return qr_png(get_booking(user=user, code=code, staff_ok=False))


def booking_ticket(*, user, code: str) -> tuple[bytes, str]:
    """The printable ticket (PDF bytes, file name) of one of the user's own bookings."""
    booking = get_booking(user=user, code=code, staff_ok=False)
    return ticket_pdf(booking, user.full_name), f"darshan-{booking.code}.pdf"
