"""Visitor passes (CR-2): the signed token a QR code carries, its validity window, the link and the PDF.

The token is signed (``app.core.codes``, purpose ``visit``) and names only the visit's code, so it
cannot be forged or turned into another visit; whether it is valid *now* is decided by the visit
row (window, status, block list), so revoking or blocking takes effect at once.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from urllib.parse import quote

import segno
from flask import current_app

from app.core.codes import read_token, sign_token
from app.core.errors import InvalidToken
from app.core.timeutil import city_zone, to_local
from app.visitors.errors import InvalidPass

PURPOSE = "visit"


def validity_window(expected_at: datetime, valid_hours: int) -> tuple[datetime, datetime]:
    """From VISIT_EARLY_MINUTES before the expected time until ``valid_hours`` after it."""
    early = timedelta(minutes=current_app.config["VISIT_EARLY_MINUTES"])
    return expected_at - early, expected_at + timedelta(hours=valid_hours)


def pass_token(code: str) -> str:
    """The signed token of a visit's pass."""
    return sign_token(PURPOSE, {"visit": code})


def code_from_token(token: str) -> str:
    """The visit code a genuine token names; 400 invalid_token (reason ``unknown``) for anything else."""
    try:
        data = read_token(PURPOSE, (token or "").strip())
    except InvalidToken as exc:
        raise InvalidPass("unknown") from exc
    code = data.get("visit") if isinstance(data, dict) else None
    if not isinstance(code, str):
        raise InvalidPass("unknown")
    return code


def pass_url(code: str, token: str) -> str:
    """The pass link sent to the visitor: the PDF, opened with the token instead of a login."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return f"{base}/api/v1/visits/{quote(code)}/pass.pdf?token={quote(token)}"


def qr_png(token: str, scale: int = 6) -> bytes:
    """A PNG QR code of the token (error correction M: survives a crease or a smudge)."""
    out = io.BytesIO()
    segno.make(token, error="m").save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def _when(value: datetime) -> str:
    return to_local(value).strftime("%a %d %b %Y, %H:%M")


def pass_pdf(view: dict, token: str) -> bytes:
    """A one-page A6 pass: visitor, host, purpose, validity (city time), code and the QR; no photo."""
    from reportlab.lib.pagesizes import A6
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A6)
    width, height = A6
    pdf.setTitle(f"Visitor pass {view['code']}")
    pdf.setFont("Helvetica-Bold", 15)
    pdf.drawCentredString(width / 2, height - 32, "Sangam visitor pass")
    lines = [("Visitor", view["visitor"]["name"]), ("Host", view["host"]["name"]), ("Purpose", view["purpose"]),
             ("Valid from", _when(view["valid_from"])), ("Valid until", _when(view["valid_until"]))]
    y = height - 56
    for label, value in lines:
        pdf.setFont("Helvetica-Bold", 8)
        pdf.drawString(18, y, label)
        pdf.setFont("Helvetica", 9)
        pdf.drawString(72, y, str(value)[:48])
        y -= 13
    size = 205
    pdf.drawImage(ImageReader(io.BytesIO(qr_png(token))), (width - size) / 2, 50, size, size)
    pdf.setFont("Helvetica-Bold", 14)
    pdf.drawCentredString(width / 2, 28, view["code"])
    pdf.setFont("Helvetica", 6.5)
    pdf.drawCentredString(width / 2, 14, f"Times in {city_zone().key}. Show this pass at reception; it is personal.")
    pdf.showPage()
    pdf.save()
    return out.getvalue()
