"""Socket.IO handlers on the default namespace: connect, subscribe, unsubscribe."""

from __future__ import annotations

from flask import request
from flask_jwt_extended import decode_token
from flask_socketio import emit, join_room, leave_room

from app.core.places import resolve_temple
from app.extensions import db, socketio
from app.realtime.rooms import CHANNEL_EVENTS, STAFF_ONLY, city_room, room_name
from app.realtime.snapshots import snapshot_for

# sid -> role of the connected user ("anonymous" without a token)
_roles: dict[str, str] = {}


def _role_from_token(token: str | None) -> str | None:
    """Return the user's role for a valid access token, "anonymous" for none, None when invalid."""
    if not token:
        return "anonymous"
    from app.auth import service as auth_service

    try:
        claims = decode_token(token)
        if claims.get("type") != "access" or auth_service.is_revoked(claims["jti"]):
            return None
        user = auth_service.get_user(int(claims["sub"]))
        return user.role if user.is_active else None
    except Exception:
        return None
    finally:
        db.session.remove()


@socketio.on("connect")
def on_connect(auth=None):
    """Accept anonymous clients and clients with a valid access token; refuse bad tokens."""
    token = auth.get("token") if isinstance(auth, dict) else None
    role = _role_from_token(token)
    if role is None:
        return False
    _roles[request.sid] = role
    return True


@socketio.on("disconnect")
def on_disconnect(*_args):
    _roles.pop(request.sid, None)


def _parse(data) -> tuple[dict | None, str | None]:
    if not isinstance(data, dict):
        return None, "The message must be an object: {channel, temple_id?, zone?}."
    channel = data.get("channel")
    if channel not in CHANNEL_EVENTS:
        return None, f"Unknown channel; use one of: {', '.join(CHANNEL_EVENTS)}."
    temple_id, zone = data.get("temple_id"), data.get("zone")
    if temple_id is not None:
        if isinstance(temple_id, bool) or not isinstance(temple_id, (int, str)):
            return None, "temple_id must be a temple's id or slug."
        resolved = resolve_temple(temple_id)
        if resolved is None:
            return None, "Unknown temple."
        temple_id = resolved[0]
    if zone is not None and (not isinstance(zone, str) or temple_id is None or not 0 < len(zone) <= 64):
        return None, "zone must be a short text and needs temple_id."
    return {"channel": channel, "temple_id": temple_id, "zone": zone}, None


def _allowed(sid: str, channel: str) -> bool:
    roles = STAFF_ONLY.get(channel)
    return roles is None or _roles.get(sid) in roles


@socketio.on("subscribe")
def on_subscribe(data=None):
    """Join a channel's room; staff-only channels refuse others; crowd sends a snapshot."""
    parsed, problem = _parse(data)
    if problem:
        return {"ok": False, "error": "validation_error", "message": problem}
    if not _allowed(request.sid, parsed["channel"]):
        return {"ok": False, "error": "forbidden", "message": "This channel is for staff only."}
    room = room_name(parsed["channel"], parsed["temple_id"], parsed["zone"])
    join_room(room)
    if parsed["temple_id"] is not None:
        join_room(city_room(parsed["channel"]))
    snapshot = snapshot_for(parsed["channel"], parsed)
    db.session.remove()
    if snapshot is not None:
        emit(CHANNEL_EVENTS[parsed["channel"]][0], snapshot)
    return {"ok": True, "room": room}


@socketio.on("unsubscribe")
def on_unsubscribe(data=None):
    """Leave a channel's room."""
    parsed, problem = _parse(data)
    if problem:
        return {"ok": False, "error": "validation_error", "message": problem}
    room = room_name(parsed["channel"], parsed["temple_id"], parsed["zone"])
    leave_room(room)
    if parsed["temple_id"] is not None:
        leave_room(city_room(parsed["channel"]))
    return {"ok": True, "room": room}
