"""Parking lots and their spots (VP-3): create, resize, delete, list with free spots."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import delete, func, insert, select

from app.core.cache import cached_read
from app.core.events import transactional
from app.core.timeutil import utcnow
from app.extensions import db
from app.parking import events
from app.parking.errors import LotNotFound, LotOccupied
from app.parking.models import ACTIVE, FREE, OCCUPIED, ParkingLot, ParkingSpot, Reservation
from app.parking.service.allocation import free_counts, free_in

LOT_FIELDS = ("name", "address", "pin_code", "price_per_hour", "total_spots", "lat", "lng")


def lot_view(lot: ParkingLot, available: int) -> dict:
    """A lot as plain data with its free spots (cached reads, LotSchema)."""
    return {"id": lot.id, "name": lot.name, "address": lot.address, "pin_code": lot.pin_code,
            "price_per_hour": lot.price_per_hour, "total_spots": lot.total_spots, "available_spots": available,
            "lat": lot.lat, "lng": lot.lng}


def get_lot(*, lot_id: int) -> ParkingLot:
    """Return an open (not deleted) lot or raise 404."""
    lot = db.session.get(ParkingLot, lot_id)
    if lot is None or lot.deleted_at is not None:
        raise LotNotFound()
    return lot


def lot_detail(*, lot_id: int) -> dict:
    """Return one lot with its free spots counted now."""
    lot = get_lot(lot_id=lot_id)
    return lot_view(lot, free_in(lot.id))


@cached_read("parking.lots", timeout=60, invalidated_by=("parking.",))
def _lot_views(available_only: bool) -> list[dict]:
    """Open lots with their free spots (cached for a minute, refreshed by any parking change)."""
    counts = free_counts()
    lots = db.session.scalars(select(ParkingLot).where(ParkingLot.deleted_at.is_(None)).order_by(ParkingLot.id))
    views = [lot_view(lot, counts.get(lot.id, 0)) for lot in lots]
    return [v for v in views if v["available_spots"] > 0] if available_only else views


def list_lots(*, available_only: bool = False) -> list[dict]:
    """Open lots with their free spots (cached for a minute, refreshed by any parking change)."""
    return _lot_views(available_only)


def _add_spots(lot_id: int, first: int, last: int) -> None:
    if last >= first:
        db.session.execute(insert(ParkingSpot), [{"lot_id": lot_id, "number": n, "status": FREE}
                                                 for n in range(first, last + 1)])


def _remove_free_spots_above(lot: ParkingLot, keep: int) -> None:
    """Delete spots numbered above ``keep``; refuse (409) if one of them is occupied."""
    doomed = lot.total_spots - keep
    removed = db.session.execute(delete(ParkingSpot).where(
        ParkingSpot.lot_id == lot.id, ParkingSpot.number > keep, ParkingSpot.status == FREE)).rowcount
    if removed != doomed:
        busy = db.session.scalars(select(ParkingSpot.number).where(
            ParkingSpot.lot_id == lot.id, ParkingSpot.number > keep, ParkingSpot.status == OCCUPIED)
            .order_by(ParkingSpot.number))
        numbers = ", ".join(str(n) for n in busy)
        raise LotOccupied(f"Cannot reduce the lot to {keep} spots: spot(s) {numbers} are occupied. "
                          "Release them first or keep more spots.")


@transactional
def create_lot(*, name: str, address: str, pin_code: str, price_per_hour: Decimal, total_spots: int,
               lat: float | None = None, lng: float | None = None) -> dict:
    """Create a lot with spots numbered 1..total_spots."""
    lot = ParkingLot(name=name.strip(), address=address.strip(), pin_code=pin_code, price_per_hour=price_per_hour,
                     total_spots=total_spots, lat=lat, lng=lng, created_at=utcnow())
    db.session.add(lot)
    db.session.flush()
    _add_spots(lot.id, 1, total_spots)
    events.lot_changed("lot_created", lot, total_spots, entity="parking_lot", entity_id=lot.id, action="create",
                       changes={f: [None, str(getattr(lot, f))] for f in LOT_FIELDS if getattr(lot, f) is not None})
    return lot_view(lot, total_spots)


@transactional
def update_lot(*, lot_id: int, name: str, address: str, pin_code: str, price_per_hour: Decimal,
               total_spots: int, lat: float | None = None, lng: float | None = None) -> dict:
    """Replace a lot's details; growing adds spots, shrinking removes free spots from the end (409 if occupied)."""
    lot = get_lot(lot_id=lot_id)
    values = {"name": name.strip(), "address": address.strip(), "pin_code": pin_code,
              "price_per_hour": price_per_hour, "total_spots": total_spots, "lat": lat, "lng": lng}
    if total_spots > lot.total_spots:
        _add_spots(lot.id, lot.total_spots + 1, total_spots)
    elif total_spots < lot.total_spots:
        _remove_free_spots_above(lot, total_spots)
    changes = {f: [str(getattr(lot, f)), str(v)] for f, v in values.items() if getattr(lot, f) != v}
    for field, value in values.items():
        setattr(lot, field, value)
    available = free_in(lot.id)
    events.lot_changed("lot_updated", lot, available, entity="parking_lot", entity_id=lot.id, action="update",
                       changes=changes)
    return lot_view(lot, available)


@transactional
def delete_lot(*, lot_id: int) -> None:
    """Close a lot and remove its spots; refused (409) while a spot is occupied. History is kept."""
    lot = get_lot(lot_id=lot_id)
    db.session.execute(delete(ParkingSpot).where(ParkingSpot.lot_id == lot.id, ParkingSpot.status == FREE))
    occupied = db.session.scalar(select(func.count()).where(ParkingSpot.lot_id == lot.id))
    if occupied:
        raise LotOccupied(f"The lot has {occupied} occupied spot(s); it can be deleted once they are released.")
    lot.deleted_at = utcnow()
    events.lot_changed("lot_deleted", lot, 0, entity="parking_lot", entity_id=lot.id, action="delete",
                       changes={"deleted_at": [None, lot.deleted_at.isoformat()]})


def lot_spots(*, lot_id: int) -> list[dict]:
    """The spots of a lot in order, each with its active reservation when occupied."""
    get_lot(lot_id=lot_id)
    rows = db.session.execute(
        select(ParkingSpot, Reservation).outerjoin(
            Reservation, (Reservation.spot_id == ParkingSpot.id) & (Reservation.status == ACTIVE))
        .where(ParkingSpot.lot_id == lot_id).order_by(ParkingSpot.number))
    return [{"id": spot.id, "number": spot.number, "status": spot.status,
             "reservation": None if res is None else {"id": res.id, "user_id": res.user_id,
                                                      "vehicle_number": res.vehicle_number,
                                                      "parked_at": res.parked_at}}
            for spot, res in rows]


def parking_snapshot(_scope: dict) -> dict:
    """What a new ``parking`` subscriber receives at once: every open lot's free spots."""
    lots = db.session.scalars(select(ParkingLot).where(ParkingLot.deleted_at.is_(None)).order_by(ParkingLot.id))
    counts = free_counts()
    return {"snapshot": True, "lots": [events.availability(lot, counts.get(lot.id, 0), "snapshot") for lot in lots]}
