"""Parking events: every change is published once, audited, and pushed live as ``parking_update``.

The Socket.IO payload tells a driver's app how many spots a lot has free right now:
``{lot_id, name, total_spots, available_spots, action}`` (the service counts; events only shape).
When the last spot goes, ``parking.lot_full`` tells other domains (safety links it to nearby incidents).
"""

from __future__ import annotations

from app.core.events import Event, publish
from app.core.timeutil import utcnow

CHANNEL, SOCKET_EVENT = "parking", "parking_update"


def availability(lot, available: int, action: str) -> dict:
    """The live figure of one lot."""
    closed = lot.deleted_at is not None
    return {"lot_id": lot.id, "name": lot.name, "total_spots": 0 if closed else lot.total_spots,
            "available_spots": 0 if closed else available, "action": action}


def lot_changed(name: str, lot, available: int, *, entity: str, entity_id: int, action: str,
                changes: dict | None = None) -> None:
    """Publish ``parking.<name>``: audited now, delivered to the ``parking`` room after commit."""
    publish(Event(name=f"parking.{name}", payload=availability(lot, available, name), channel=CHANNEL,
                  socket_event=SOCKET_EVENT, scope={}, entity=entity, entity_id=entity_id, action=action,
                  changes=changes))


def lot_full(lot) -> None:
    """The lot's last free spot was just taken."""
    publish(Event(name="parking.lot_full", audit=False, payload={
        "lot_id": lot.id, "name": lot.name, "total_spots": lot.total_spots, "lat": lot.lat, "lng": lot.lng,
        "at": utcnow().isoformat()}))
