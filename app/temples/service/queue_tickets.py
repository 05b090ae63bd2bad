"""Queue tickets: who a person is to the queue, the signed ticket, and the ticket resource (HTTP and Socket.IO).

A ticket is stored as a flat dict of strings (``queue_store.TICKET_FIELDS``); ``ticket_view`` turns it into the
resource clients see. A waiting ticket whose release has ended reads as rejected (``sold_out`` or
``release_closed``): that is how every waiting client is answered at once, without rewriting each ticket.
"""

from __future__ import annotations

import re

from flask import current_app

from app.core.codes import read_token, sign_token
from app.temples.errors import TicketNotFound
from app.temples.models import ReleaseAdmission

TICKET_PURPOSE = "queue_ticket"
ENDED = {"sold_out": "sold_out", "closed": "release_closed"}
MESSAGES = {
    "sold_out": "Every seat of this release has been taken.",
    "release_closed": "The release was closed before your turn came.",
}


def people_of(user_id: int, phone: str | None) -> list[str]:
    """The keys of one person in a queue: their account and, when known, their phone number."""
    return [f"u:{user_id}"] + ([f"p:{phone}"] if phone else [])


def phone_key(phone: str | None) -> str | None:
    """The person behind a phone number: its last ten digits (``+91 98000-00001`` and ``9800000001`` agree)."""
    digits = re.sub(r"\D", "", phone or "")
    return digits[-10:] if len(digits) >= 6 else None


def sign_ticket(ticket: dict) -> str:
    """The client's ticket: a signed token naming the release and the ticket (unguessable, unforgeable)."""
    return sign_token(TICKET_PURPOSE, {"r": int(ticket["release_id"]), "t": ticket["id"]})


def read_ticket(token: str) -> tuple[int, str]:
    """The release id and ticket id a ticket token names (400 ``invalid_token`` when forged)."""
    data = read_token(TICKET_PURPOSE, token or "")
    release_id, ticket_id = (data.get("r"), data.get("t")) if isinstance(data, dict) else (None, None)
    if not isinstance(release_id, int) or not isinstance(ticket_id, str):
        raise TicketNotFound()
    return release_id, ticket_id


def admission_ticket(admission: ReleaseAdmission) -> dict:
    """A resolved ticket rebuilt from its admission row (once the store has forgotten it)."""
    return {"id": admission.ticket, "release_id": admission.release_id, "number": admission.number,
            "slot_id": admission.slot_id, "party_size": admission.party_size,
            "enqueued_at": admission.enqueued_at.isoformat(), "resolved_at": admission.resolved_at.isoformat(),
            "status": "admitted" if admission.outcome == "admitted" else "rejected",
            "error": "" if admission.outcome == "admitted" else admission.outcome,
            "booking_id": admission.booking_id or "", "booking_code": "", "message": ""}


def _int(value) -> int | None:
    return int(value) if value not in (None, "") else None


def _pace(raw: dict, position: int | None) -> tuple[int | None, float]:
    """Expected seconds until the ticket is resolved (its turn, or the sell-out) and when to poll again."""
    rate = float(raw.get("rate") or 0)
    if position is None:
        return None, 0
    if rate <= 0:
        return None, 2.0
    seats_left = _int(raw.get("seats_left"))
    ahead = min(position, seats_left + 1) if seats_left is not None else position
    eta = ahead / rate
    return round(eta), round(min(15.0, max(1.0, eta)), 1)


def _booking(booking_id: int | None, code: str | None) -> dict:
    """The admitted booking with its links (built without a request: pushes leave from admission workers)."""
    if not code:
        return {"id": booking_id, "code": None, "qr_url": None, "ticket_url": None}
    urls = current_app.url_map.bind("localhost")
    return {"id": booking_id, "code": code, "qr_url": urls.build("temples.booking_qr", {"code": code}),
            "ticket_url": urls.build("temples.booking_ticket", {"code": code})}


def ticket_view(raw: dict) -> dict:
    """The ticket resource (the same JSON over HTTP and on Socket.IO) from a stored ticket."""
    status, error = raw.get("status") or "waiting", raw.get("error") or None
    ended = ENDED.get(raw.get("release_state") or "")
    if status == "waiting" and ended:
        status, error = "rejected", ended
    position = _int(raw.get("position")) if status in ("waiting", "admitting") else None
    if status == "admitting":
        position = 0
    eta, poll_after = _pace(raw, position)
    booking_code = raw.get("booking_code") or None
    return {
        "ticket": raw.get("token") or sign_ticket(raw), "release_id": _int(raw.get("release_id")),
        "slot_id": _int(raw.get("slot_id")),
        "party_size": _int(raw.get("party_size")), "number": _int(raw.get("number")),
        "status": "waiting" if status == "admitting" else status, "position": position,
        "waiting": _int(raw.get("waiting")), "estimated_wait_seconds": eta, "poll_after_seconds": poll_after or None,
        "enqueued_at": raw.get("enqueued_at") or None, "resolved_at": raw.get("resolved_at") or None,
        "booking": _booking(_int(raw.get("booking_id")), booking_code) if status == "admitted" else None,
        "error": error, "message": raw.get("message") or (MESSAGES.get(error) if error else None),
    }


