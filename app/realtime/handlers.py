"""Socket.IO handlers on the default namespace: connect, subscribe, unsubscribe.

Which channels exist, who may join them and what a new subscriber receives at once come from
the domains' ``Channel`` declarations (``app.core.domain``).
"""

from __future__ import annotations

from flask import request
from flask_jwt_extended import decode_token
from flask_socketio import emit, join_room, leave_room

from app.core.domain import channels, domains
from app.core.places import resolve_temple
from app.core.security import ADMIN
from app.core.tokens import token_revoked, token_user
from app.extensions import db, socketio
from app.realtime.rooms import SEVERITIES, city_room, module_room, room_name

# sid -> role of the connected user ("anonymous" without a token)
_roles: dict[str, str] = {}


def role_from_token(token: str | None) -> str | None:
    """Return the user's role for a valid access token, "anonymous" for none, None when invalid."""
    if not token:
        return "anonymous"
    try:
        claims = decode_token(token)
        if claims.get("type") != "access" or token_revoked(claims):
            return None
        user = token_user(claims)
        return user.role if user is not None else None
    except Exception:
        return None
    finally:
        db.session.remove()


@socketio.on("connect")
def on_connect(auth=None):
    """Accept anonymous clients and clients with a valid access token; refuse bad tokens."""
    token = auth.get("token") if isinstance(auth, dict) else None
    role = role_from_token(token)
    if role is None:
        return False
    _roles[request.sid] = role
    return True


@socketio.on("disconnect")
def on_disconnect(*_args):
    """Forget the socket's role."""
    _roles.pop(request.sid, None)


def _place(data: dict) -> tuple[dict | None, str | None]:
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
    rooms = [room_name(data["channel"], temple_id, zone)]
    if temple_id is not None:
        rooms.append(city_room(data["channel"]))
    return {"temple_id": temple_id, "zone": zone, "rooms": rooms}, None


def _module(data: dict) -> tuple[dict | None, str | None]:
    module, severity = data.get("module"), data.get("min_severity")
    if module is not None and (not isinstance(module, str) or not 0 < len(module) <= 40):
        return None, "module must be a module name such as traffic or environment."
    if severity is not None and severity not in SEVERITIES:
        return None, f"min_severity must be one of: {', '.join(SEVERITIES)}."
    return {"module": module, "min_severity": severity,
            "rooms": [module_room(data["channel"], module, severity)]}, None


def _parse(data) -> tuple[dict | None, str | None]:
    if not isinstance(data, dict):
        return None, "The message must be an object: {channel, …}."
    declared = channels()
    channel = declared.get(data.get("channel"))
    if channel is None:
        return None, f"Unknown channel; use one of: {', '.join(sorted(declared))}."
    scope, problem = (_module if channel.scoping == "module" else _place)(data)
    return (None, problem) if problem else ({"channel": channel.name, **scope}, None)


def _allowed(sid: str, channel: str) -> bool:
    roles = channels()[channel].roles
    return roles is None or _roles.get(sid) in (*roles, ADMIN)


def _snapshot(parsed: dict) -> tuple[str, dict] | None:
    for domain in domains():
        for channel in domain.channels:
            if channel.name == parsed["channel"] and channel.snapshot:
                payload = domain.resolve(channel.snapshot)(parsed)
                return (channel.events[0], payload) if payload is not None else None
    return None


@socketio.on("subscribe")
def on_subscribe(data=None):
    """Join a channel's room; staff-only channels refuse others; a channel with a snapshot sends it."""
    parsed, problem = _parse(data)
    if problem:
        return {"ok": False, "error": "validation_error", "message": problem}
    if not _allowed(request.sid, parsed["channel"]):
        return {"ok": False, "error": "forbidden", "message": "This channel is for staff only."}
    for room in parsed["rooms"]:
        join_room(room)
    snapshot = _snapshot(parsed)
    db.session.remove()
    if snapshot is not None:
        emit(*snapshot)
    return {"ok": True, "room": parsed["rooms"][0]}


@socketio.on("unsubscribe")
def on_unsubscribe(data=None):
    """Leave a channel's room."""
    parsed, problem = _parse(data)
    if problem:
        return {"ok": False, "error": "validation_error", "message": problem}
    for room in parsed["rooms"]:
        leave_room(room)
    return {"ok": True, "room": parsed["rooms"][0]}
