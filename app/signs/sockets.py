"""Socket.IO namespace ``/signs`` (CA-2, CA-4): signs connect with ``auth: {device_key}``.

A sign sends `heartbeat`, `metrics` and `ack`; each gets an acknowledgement ``{"ok": true}`` or the
error shape with ``"ok": false`` (a malformed message never closes any connection). The server sends
`new_message`, `override`, `override_cancelled`, `ping` and `request_status`: committed
``signs.content_pushed`` events are emitted to the signs' rooms here (through the Redis queue when
there are several processes). The first sign to connect starts this process's sweeper.
"""

from __future__ import annotations

import logging

from flask import current_app, request
from flask_socketio import ConnectionRefusedError, join_room
from marshmallow import ValidationError

from app.core.errors import APIError, Unauthorized, ValidationFailed
from app.core.events import Event, subscribe
from app.extensions import db, socketio
from app.signs import schemas, service, sweeper
from app.signs.events import CLOSE, NAMESPACE, PUSHED, sign_room

log = logging.getLogger("sangam.signs")
_signs: dict[str, int] = {}  # connection id -> sign id, for connections held by this process


def _error(exc: APIError) -> dict:
    body = {"ok": False, "code": exc.status, "error": exc.error, "message": exc.message}
    if exc.errors:
        body["errors"] = exc.errors
    return body


def _answer(handler, data, schema):
    """Validate ``data``, run the use case for this connection's sign, and answer with an ack."""
    sign_id = _signs.get(request.sid)
    try:
        if sign_id is None:
            raise Unauthorized("This connection has no sign.")
        if not isinstance(data, dict):
            raise ValidationFailed({"_schema": ["The message must be a JSON object."]})
        try:
            values = schema.load(data)
        except ValidationError as exc:
            raise ValidationFailed(exc.normalized_messages()) from exc
        return {"ok": True, **(handler(sign_id, values) or {})}
    except APIError as exc:
        return _error(exc)
    except Exception:  # a sign's message must never break the connection
        log.exception("signs socket handler failed", extra={"sign_id": sign_id})
        return {"ok": False, "code": 500, "error": "internal_error", "message": "The message could not be processed."}
    finally:
        db.session.remove()


@socketio.on("connect", namespace=NAMESPACE)
def on_sign_connect(auth=None):
    """Accept a sign with a valid device key and send it what it must show at once; refuse others."""
    key = auth.get("device_key") if isinstance(auth, dict) else None
    try:
        sign_id = service.authenticate_sign(key)
        if sign_id is None:
            raise ConnectionRefusedError({"error": "invalid_device_key",
                                          "message": "The device key is missing, unknown, revoked or not a sign's."})
        _signs[request.sid] = sign_id
        join_room(sign_room(sign_id))
        service.sign_connected(sign_id=sign_id, sid=request.sid)
    finally:
        db.session.remove()
    sweeper.ensure_running(current_app._get_current_object())
    return True


@socketio.on("disconnect", namespace=NAMESPACE)
def on_sign_disconnect(*_args):
    """Mark the sign offline (unless it has reconnected meanwhile)."""
    sign_id = _signs.pop(request.sid, None)
    if sign_id is None:
        return
    try:
        service.sign_disconnected(sign_id=sign_id, sid=request.sid)
    except Exception:
        log.exception("could not record a sign's disconnect", extra={"sign_id": sign_id})
    finally:
        db.session.remove()


@socketio.on("heartbeat", namespace=NAMESPACE)
def on_heartbeat(data=None):
    """Record battery, signal strength and crowd figures."""
    return _answer(lambda sign_id, figures: {"status": service.record_heartbeat(
        sign_id=sign_id, figures=figures, sid=request.sid)["status"]}, data, schemas.HeartbeatSchema())


@socketio.on("metrics", namespace=NAMESPACE)
def on_metrics(data=None):
    """Add impressions (and keep the other counters)."""
    return _answer(lambda sign_id, counters: {"impressions": service.record_metrics(
        sign_id=sign_id, counters=counters)["impressions"]}, data, schemas.MetricsSchema())


@socketio.on("ack", namespace=NAMESPACE)
def on_ack(data=None):
    """Acknowledge that a message or override is shown."""
    return _answer(lambda sign_id, ref: _acked(service.acknowledge(sign_id=sign_id, **ref)), data, schemas.AckSchema())


def _acked(result: dict) -> dict:
    return {"acked_at": result["acked_at"].isoformat() if result["acked_at"] else None}


def emit_pushed(evt: Event) -> None:
    """Emit a committed push to its sign rooms or connections on /signs (or close those connections)."""
    if evt.payload["event"] == CLOSE:
        for sid in evt.payload["to"]:
            socketio.server.disconnect(sid, namespace=NAMESPACE)
        return
    socketio.emit(evt.payload["event"], evt.payload["data"], to=evt.payload["to"], namespace=NAMESPACE)


subscribe(emit_pushed, phase="after_commit", prefix=PUSHED)
