"""Deliver committed domain events to Socket.IO rooms (works from Celery via the Redis queue).

With a message queue (several processes) the publish to Redis happens on the background sender
thread, so a hung Redis never holds the request that made the change; in one process (embedded,
tests) the emit is immediate.
"""

from __future__ import annotations

from flask import current_app

from app.core import background
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
    rooms = rooms_for_scope(evt.channel, evt.scope, scoping)
    if current_app.config.get("SOCKETIO_MESSAGE_QUEUE"):
        background.submit(_emit, evt.socket_event, evt.payload, rooms)
    else:
        _emit(evt.socket_event, evt.payload, rooms)


def _emit(name: str, payload: dict, rooms: list[str]) -> None:
    socketio.emit(name, payload, to=rooms, namespace="/")
