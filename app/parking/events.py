"""Parking events: every change is published once, audited, and pushed live as ``parking_update``.

The Socket.IO payload tells a driver's app how many spots a lot has free right now:
``{lot_id, name, total_spots, available_spots, action}``.
"""

from __future__ import annotations

from sqlalchemy import func, select

from app.core.events import Event, publish
from app.extensions import db
from app.parking.models import FREE, ParkingLot, ParkingSpot

CHANNEL, SOCKET_EVENT = "parking", "parking_update"


def free_counts(lot_ids: list[int] | None = None) -> dict[int, int]:
    """Free spots per lot id (lots without free spots are absent)."""
    stmt = select(ParkingSpot.lot_id, func.count()).where(ParkingSpot.status == FREE).group_by(ParkingSpot.lot_id)
    if lot_ids is not None:
        stmt = stmt.where(ParkingSpot.lot_id.in_(lot_ids))
    return dict(db.session.execute(stmt).all())


def availability_payload(lot: ParkingLot, action: str) -> dict:
    """The live figure of one lot, counted in the same transaction as the change."""
    available = 0 if lot.deleted_at else free_counts([lot.id]).get(lot.id, 0)
    return {"lot_id": lot.id, "name": lot.name, "total_spots": 0 if lot.deleted_at else lot.total_spots,
            "available_spots": available, "action": action}


def publish_change(name: str, lot: ParkingLot, *, entity: str, entity_id: int, action: str,
                   changes: dict | None = None) -> None:
    """Publish ``parking.<name>``: audited now, delivered to the ``parking`` room after commit."""
    publish(Event(name=f"parking.{name}", payload=availability_payload(lot, name), channel=CHANNEL,
                  socket_event=SOCKET_EVENT, scope={}, entity=entity, entity_id=entity_id, action=action,
                  changes=changes))


def snapshot(_scope: dict) -> dict:
    """What a new ``parking`` subscriber receives at once: every open lot's free spots."""
    lots = db.session.scalars(select(ParkingLot).where(ParkingLot.deleted_at.is_(None)).order_by(ParkingLot.id))
    counts = free_counts()
    return {"snapshot": True, "lots": [{"lot_id": lot.id, "name": lot.name, "total_spots": lot.total_spots,
                                        "available_spots": counts.get(lot.id, 0)} for lot in lots]}
