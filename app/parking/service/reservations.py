"""Reservations (VP-5, VP-6): park in the first free spot, release and pay, history.

Capacity lives in the database: ``claim_first_free_spot`` flips one spot in one statement, and
partial unique indexes allow one active reservation per spot and per user, so a rush of drivers
can never share a spot. Releasing is a conditional status change: of concurrent releases one
frees the spot and fixes the cost. Cost = price per hour × started hours, at least one hour.
"""

from __future__ import annotations

import math
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.core.events import transactional
from app.core.pagination import paginate
from app.core.security import ADMIN, ensure_owner_or_roles
from app.core.states import transition
from app.core.timeutil import utcnow
from app.extensions import db
from app.parking import events
from app.parking.errors import AlreadyActive, AlreadyReleased, LotFull, ReservationNotFound
from app.parking.models import ACTIVE, RELEASED, Reservation
from app.parking.service.allocation import claim_first_free_spot, free_in, free_spot
from app.parking.service.lots import get_lot

SECONDS_PER_HOUR = 3600


def billed_hours(parked_at: datetime, left_at: datetime) -> int:
    """Started hours between parking and leaving, at least one (the cost rounding rule)."""
    return max(1, math.ceil((left_at - parked_at).total_seconds() / SECONDS_PER_HOUR))


def parking_cost(price_per_hour: Decimal, parked_at: datetime, left_at: datetime) -> Decimal:
    """Price per hour × started hours (minimum one hour), to the paisa."""
    return (price_per_hour * billed_hours(parked_at, left_at)).quantize(Decimal("0.01"))


def active_reservation_of(user_id: int) -> Reservation | None:
    """The user's current reservation, if any."""
    return db.session.scalar(select(Reservation).where(Reservation.user_id == user_id, Reservation.status == ACTIVE))


def _insert(res: Reservation) -> None:
    """Insert the reservation; the partial unique index refuses a second active one of the same driver."""
    db.session.add(res)
    try:
        db.session.flush()
    except IntegrityError as exc:  # the whole unit of work (the claimed spot too) is rolled back
        raise AlreadyActive() from exc


@transactional
def reserve(*, user_id: int, lot_id: int, vehicle_number: str) -> Reservation:
    """Park a vehicle in the first free spot of a lot (409 lot_full / already_active)."""
    lot = get_lot(lot_id=lot_id)
    claimed = claim_first_free_spot(lot.id)
    if claimed is None:
        raise LotFull(f"{lot.name} is full; try another lot.")
    res = Reservation(user_id=user_id, lot_id=lot.id, lot=lot, spot_id=claimed[0], spot_number=claimed[1],
                      vehicle_number=vehicle_number, status=ACTIVE, price_per_hour=lot.price_per_hour,
                      parked_at=utcnow())
    _insert(res)
    available = claimed[2]
    events.lot_changed("reservation_created", lot, available, entity="parking_reservation", entity_id=res.id,
                       action="create",
                       changes={"spot_number": [None, res.spot_number], "vehicle_number": [None, vehicle_number]})
    if available == 0:
        events.lot_full(lot)
    return res


def get_reservation(*, user, reservation_id: int) -> Reservation:
    """Return a reservation its owner (or an admin) may see; 404 otherwise."""
    return ensure_owner_or_roles(user, db.session.get(Reservation, reservation_id), ADMIN, missing=ReservationNotFound)


@transactional
def release(*, user, reservation_id: int) -> Reservation:
    """Release a reservation (owner or admin): the spot is freed and the cost fixed; 409 the second time."""
    res = get_reservation(user=user, reservation_id=reservation_id)
    left_at = utcnow()
    values = {"left_at": left_at, "hours": billed_hours(res.parked_at, left_at),
              "cost": parking_cost(res.price_per_hour, res.parked_at, left_at)}
    if not transition(Reservation, res.id, from_=ACTIVE, to=RELEASED, values=values):
        raise AlreadyReleased()
    free_spot(res.spot_id)
    events.lot_changed("reservation_released", res.lot, free_in(res.lot_id), entity="parking_reservation",
                       entity_id=res.id, action="release",
                       changes={"status": [ACTIVE, RELEASED], "cost": [None, str(values["cost"])]})
    return res


def my_active(*, user_id: int) -> list[Reservation]:
    """The caller's active reservation as a list of zero or one."""
    res = active_reservation_of(user_id)
    return [] if res is None else [res]


def my_reservations(*, user_id: int, pagination_parameters, status: str | None = None) -> list[Reservation]:
    """One page of the caller's history, newest first."""
    stmt = (select(Reservation).where(Reservation.user_id == user_id)
            .order_by(Reservation.parked_at.desc(), Reservation.id.desc()))
    if status:
        stmt = stmt.where(Reservation.status == status)
    return paginate(stmt, pagination_parameters)
