"""Reservations (VP-5, VP-6): park in the first free spot, release and pay, history.

Capacity lives in the database: ``claim_first_free_spot`` flips one spot in one statement, and
partial unique indexes allow one active reservation per spot and per user, so a rush of drivers
can never share a spot. A repeated POST with the same ``Idempotency-Key`` returns the first result.
"""

from __future__ import annotations

import math
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.core.errors import Conflict, NotFound
from app.core.events import transactional
from app.core.pagination import paginate
from app.core.security import ADMIN
from app.core.timeutil import utcnow
from app.extensions import db
from app.parking.allocation import claim_first_free_spot, free_spot
from app.parking.events import publish_change
from app.parking.models import ACTIVE, RELEASED, ParkingLot, Reservation
from app.parking.service import get_lot

SECONDS_PER_HOUR = 3600


def billed_hours(parked_at: datetime, left_at: datetime) -> int:
    """Started hours between parking and leaving, at least one."""
    return max(1, math.ceil((left_at - parked_at).total_seconds() / SECONDS_PER_HOUR))


def parking_cost(price_per_hour: Decimal, parked_at: datetime, left_at: datetime) -> Decimal:
    """Price per hour × started hours (minimum one hour)."""
    return (price_per_hour * billed_hours(parked_at, left_at)).quantize(Decimal("0.01"))


def reservation_view(res: Reservation, lot: ParkingLot | None = None) -> dict:
    """A reservation as plain data, with its lot's summary (ReservationSchema)."""
    lot = lot or db.session.get(ParkingLot, res.lot_id)
    return {"id": res.id, "lot_id": res.lot_id, "spot_number": res.spot_number,
            "lot": {"id": lot.id, "name": lot.name, "address": lot.address, "pin_code": lot.pin_code},
            "vehicle_number": res.vehicle_number, "status": res.status, "price_per_hour": res.price_per_hour,
            "parked_at": res.parked_at, "left_at": res.left_at, "cost": res.cost,
            "hours": billed_hours(res.parked_at, res.left_at) if res.left_at else None}


def _replay(user_id: int, key: str, lot_id: int, vehicle_number: str) -> Reservation | None:
    res = db.session.scalar(select(Reservation).where(Reservation.user_id == user_id,
                                                      Reservation.idempotency_key == key))
    if res is not None and (res.lot_id, res.vehicle_number) != (lot_id, vehicle_number):
        raise Conflict("This Idempotency-Key was already used for a different reservation.")
    return res


def active_reservation_of(user_id: int) -> Reservation | None:
    """The user's current reservation, if any."""
    return db.session.scalar(select(Reservation).where(Reservation.user_id == user_id, Reservation.status == ACTIVE))


def _refuse_second(user_id: int) -> None:
    current = active_reservation_of(user_id)
    if current is not None:
        raise Conflict(f"You already have an active reservation (spot {current.spot_number}); release it first.",
                       error="already_active")


def _insert(res: Reservation) -> None:
    db.session.add(res)
    try:
        db.session.flush()
    except IntegrityError as exc:  # a concurrent request of the same user won the race
        raise Conflict("You already have an active reservation; release it first.", error="already_active") from exc


@transactional
def reserve(*, user_id: int, lot_id: int, vehicle_number: str, idempotency_key: str | None = None) -> dict:
    """Park a vehicle in the first free spot of a lot (409 lot_full / already_active)."""
    if idempotency_key and (earlier := _replay(user_id, idempotency_key, lot_id, vehicle_number)):
        return reservation_view(earlier)
    lot = get_lot(lot_id)
    _refuse_second(user_id)
    claimed = claim_first_free_spot(lot.id)
    if claimed is None:
        raise Conflict(f"{lot.name} is full; try another lot.", error="lot_full")
    res = Reservation(user_id=user_id, lot_id=lot.id, spot_id=claimed[0], spot_number=claimed[1],
                      vehicle_number=vehicle_number, status=ACTIVE, price_per_hour=lot.price_per_hour,
                      parked_at=utcnow(), idempotency_key=idempotency_key)
    _insert(res)
    publish_change("reservation_created", lot, entity="parking_reservation", entity_id=res.id, action="create",
                   changes={"spot_number": [None, res.spot_number], "vehicle_number": [None, vehicle_number]})
    return reservation_view(res, lot)


def _visible(user, reservation_id: int) -> Reservation:
    res = db.session.get(Reservation, reservation_id)
    if res is None or (res.user_id != user.id and user.role != ADMIN):
        raise NotFound("No reservation with this id.")
    return res


def get_reservation(*, user, reservation_id: int) -> dict:
    """Return a reservation its owner (or an admin) may see; 404 otherwise."""
    return reservation_view(_visible(user, reservation_id))


@transactional
def release(*, user, reservation_id: int) -> dict:
    """Release a reservation (owner or admin): the spot is freed and the cost fixed; 409 the second time."""
    res = _visible(user, reservation_id)
    left_at = utcnow()
    cost = parking_cost(res.price_per_hour, res.parked_at, left_at)
    done = db.session.execute(update(Reservation).where(Reservation.id == res.id, Reservation.status == ACTIVE)
                              .values(status=RELEASED, left_at=left_at, cost=cost)
                              .execution_options(synchronize_session=False)).rowcount
    if not done:
        raise Conflict("This reservation has already been released.")
    free_spot(res.spot_id)
    db.session.refresh(res)
    lot = db.session.get(ParkingLot, res.lot_id)
    publish_change("reservation_released", lot, entity="parking_reservation", entity_id=res.id, action="release",
                   changes={"status": [ACTIVE, RELEASED], "cost": [None, str(cost)]})
    return reservation_view(res, lot)


def my_active(*, user_id: int) -> list[dict]:
    """The caller's active reservation as a list of zero or one."""
    res = active_reservation_of(user_id)
    return [] if res is None else [reservation_view(res)]


def my_reservations(*, user_id: int, status: str | None = None):
    """A select of the caller's reservations, newest first (paginated by the API)."""
    stmt = (select(Reservation).where(Reservation.user_id == user_id)
            .order_by(Reservation.parked_at.desc(), Reservation.id.desc()))
    return stmt.where(Reservation.status == status) if status else stmt


def my_reservations_page(*, user_id: int, pagination_parameters, status: str | None = None) -> list[dict]:
    """One page of the caller's history, newest first."""
    return [reservation_view(r) for r in paginate(my_reservations(user_id=user_id, status=status),
                                                  pagination_parameters)]
