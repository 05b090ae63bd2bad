"""Deliver committed domain events to Socket.IO rooms (works from Celery via the Redis queue)."""

from __future__ import annotations

from app.core.domain import channels
from app.core.events import Event
from app.extensions import socketio
from app.realtime.rooms import rooms_for_scope


def deliver(evt: Event) -> None:
    """Emit an event that names a channel and a Socket.IO event to its rooms."""
    if not (evt.channel and evt.socket_event):
        return
    declared = channels().get(evt.channel)
    scoping = declared.scoping if declared else "place"
    socketio.emit(evt.socket_event, evt.payload, to=rooms_for_scope(evt.channel, evt.scope, scoping), namespace="/")
