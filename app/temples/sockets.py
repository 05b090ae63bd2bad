"""Socket.IO namespace ``/queue``: a client watches its queue ticket and gets ``booking_result`` there, alone.

Connect with ``auth: {ticket}`` (the signed ticket from the 202): the socket joins that ticket's room only, and
gets ``queue_status`` (its position) or, when already resolved, ``booking_result`` at once, so a result is never
missed between the 202 and the connection. ``watch {ticket}`` adds another ticket to the same connection. A
forged ticket is refused. No login and no database while the ticket waits: the ticket is the capability.
"""

from __future__ import annotations

from flask_socketio import emit, join_room

from app.core.errors import APIError
from app.extensions import db, socketio
from app.temples import service
from app.temples.events import QUEUE_NAMESPACE, ticket_room


def _follow(token) -> dict | None:
    """Join the ticket's room and send its current state; None when the ticket is not one of ours."""
    if not isinstance(token, str) or not 0 < len(token) <= 400:
        return None
    try:
        ticket_id, view = service.watch_ticket(ticket=token)
    except APIError:
        return None
    finally:
        db.session.remove()
    join_room(ticket_room(ticket_id))
    emit("queue_status" if view["status"] == "waiting" else "booking_result", view)
    return view


@socketio.on("connect", namespace=QUEUE_NAMESPACE)
def on_connect(auth=None):
    """Accept a socket that names a valid ticket, and watch it."""
    return _follow(auth.get("ticket") if isinstance(auth, dict) else None) is not None


@socketio.on("watch", namespace=QUEUE_NAMESPACE)
def on_watch(data=None):
    """Watch one more ticket on this connection."""
    view = _follow(data.get("ticket") if isinstance(data, dict) else None)
    if view is None:
        return {"ok": False, "error": "invalid_token", "message": "Not a queue ticket."}
    return {"ok": True, "status": view["status"], "position": view["position"]}
