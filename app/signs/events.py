"""Signs events: one helper per kind; payloads are the REST resources' JSON.

Operators' events (CA-3) go to the ``signs`` channel (app.realtime delivers them after commit).
What signs must show (CA-4) is published as ``signs.content_pushed`` and emitted after commit to
the signs' rooms on the ``/signs`` namespace by ``app.signs.sockets``; a Celery process reaches the
signs the same way, through the Redis message queue.
"""

from __future__ import annotations

from app.core.events import Event, publish
from app.signs import schemas as s

CHANNEL = "signs"
NAMESPACE = "/signs"
PUSHED = "signs.content_pushed"
CLOSE = "disconnect"  # a push that closes the connections it names


def sign_room(sign_id: int) -> str:
    """The room every connection of one sign joins."""
    return f"sign:{sign_id}"


def _to_operators(socket_event: str, payload: dict, *, entity: str | None = None, entity_id=None,
                  action: str | None = None, changes: dict | None = None) -> None:
    publish(Event(name=f"signs.{socket_event}", payload=payload, channel=CHANNEL, socket_event=socket_event,
                  scope={}, entity=entity, entity_id=entity_id, action=action, changes=changes,
                  audit=entity is not None))


def sign_changed(socket_event: str, view: dict, *, action: str | None = None, changes: dict | None = None) -> None:
    """A sign's state changed (connected, heartbeat, offline …); audited only when an operator changed it."""
    _to_operators(socket_event, s.SignSchema().dump(view), entity="sign" if action else None,
                  entity_id=view["id"], action=action, changes=changes)


def message_sent(view: dict, *, created: bool) -> None:
    """A message went out (or its schedule window opened)."""
    _to_operators("message_sent", s.MessageSchema().dump(view), entity="sign_message" if created else None,
                  entity_id=view["id"], action="create" if created else None,
                  changes={"text": [None, view["text"]]} if created else None)


def override_changed(socket_event: str, view: dict, *, action: str | None, changes: dict | None = None) -> None:
    """An override was proposed, activated, cancelled or expired."""
    _to_operators(socket_event, s.OverrideSchema().dump(view), entity="sign_override" if action else None,
                  entity_id=view["id"], action=action, changes=changes)


def acknowledged(payload: dict) -> None:
    """A sign acknowledged a message or an override: {sign_id, sign, message_id|override_id, acked_at}."""
    _to_operators("message_ack", payload)


def override_unacknowledged(payload: dict) -> None:
    """A sign has not acknowledged an override in time: {override_id, sign_id, sign, since}."""
    _to_operators("override_unacknowledged", payload)


def submission_changed(socket_event: str, view, *, action: str, changes: dict) -> None:
    """An attendee submission arrived, or was approved or rejected."""
    _to_operators(socket_event, s.SubmissionSchema().dump(view), entity="sign_submission", entity_id=view.id,
                  action=action, changes=changes)


def push(sign_event: str, data: dict, *, sign_ids=(), sids=()) -> None:
    """Send ``sign_event`` to these signs (all their connections) or these connections, after commit."""
    rooms = [sign_room(i) for i in sign_ids] + list(sids)
    if rooms:
        publish(Event(name=PUSHED, payload={"event": sign_event, "data": data, "to": rooms}, audit=False))


def push_each(sign_event: str, data_by_sign: dict[int, dict]) -> None:
    """Send each sign its own payload of ``sign_event`` (e.g. what it shows after a cancel)."""
    for sign_id, data in data_by_sign.items():
        push(sign_event, data, sign_ids=[sign_id])


def close_connections(sids: list[str]) -> None:
    """Close these sign connections after commit, in whichever process holds them (a revoked key)."""
    publish(Event(name=PUSHED, payload={"event": CLOSE, "data": {}, "to": list(sids)}, audit=False))
