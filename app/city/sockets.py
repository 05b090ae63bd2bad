"""Socket.IO on the default namespace: ``request_real_time_data {module}`` for subscribers of the ``city`` channel.

Only a socket that has joined a ``city`` room may ask (the channel is for staff, and joining it is
where the platform checks the role); the answer is the ack and a ``real_time_data`` event.
"""

from __future__ import annotations

from flask_socketio import emit, rooms

from app.city import service
from app.extensions import db, socketio


def _subscribed() -> bool:
    return any(room == "city" or room.startswith("city:") for room in rooms())


@socketio.on("request_real_time_data")
def on_request_real_time_data(data=None):
    """Answer with one city module's current state (traffic, environment, waste, energy, emergency)."""
    if not _subscribed():
        return {"ok": False, "error": "forbidden", "message": "Subscribe to the city channel first."}
    module = data.get("module") if isinstance(data, dict) else None
    if module not in service.MODULES:
        return {"ok": False, "error": "validation_error",
                "message": f"module must be one of: {', '.join(service.MODULES)}."}
    try:
        snapshot = service.module_snapshot(module)
    finally:
        db.session.remove()
    emit("real_time_data", snapshot)
    return {"ok": True, "module": module, "data": snapshot}
