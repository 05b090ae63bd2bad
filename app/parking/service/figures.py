"""Parking figures for KPIs and the ``reservations`` export dataset."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.auth import service as auth_service
from app.core.daily import per_local_day
from app.core.datasets import date_range, filter_int
from app.extensions import db
from app.parking.models import ParkingLot, Reservation
from app.parking.service.stats import lot_occupancy


def cars_parked(first: date, last: date) -> dict:
    """Cars parked per local day."""
    return per_local_day(Reservation.parked_at, first, last)


def revenue(first: date, last: date) -> dict:
    """Money taken per day: a stay's cost counts on the day the car left."""
    return per_local_day(Reservation.left_at, first, last, value=Reservation.cost)


def occupancy_pct() -> float:
    """Occupied share of every open lot's spots."""
    lots = lot_occupancy()
    total = sum(lot["total_spots"] for lot in lots)
    return round(100.0 * sum(lot["occupied"] for lot in lots) / total, 1) if total else 0.0


def reservation_rows(*, owner_id: int, is_admin: bool, filters: dict):
    """Yield reservations oldest first, streamed (own rows only unless admin), with the driver's name."""
    users = auth_service.list_users().subquery()
    stmt = (select(Reservation, ParkingLot.name, users.c.full_name)
            .join(ParkingLot, ParkingLot.id == Reservation.lot_id).outerjoin(users, users.c.id == Reservation.user_id))
    if not is_admin:
        stmt = stmt.where(Reservation.user_id == owner_id)
    if (lot_id := filter_int(filters, "lot_id")) is not None:
        stmt = stmt.where(Reservation.lot_id == lot_id)
    stmt = date_range(stmt, filters, Reservation.parked_at).order_by(Reservation.parked_at, Reservation.id)
    for res, lot_name, driver in db.session.execute(stmt.execution_options(yield_per=500)):
        yield {"id": res.id, "lot": lot_name, "spot_number": res.spot_number, "vehicle_number": res.vehicle_number,
               "user": driver, "status": res.status, "parked_at": res.parked_at, "left_at": res.left_at,
               "hours": res.hours, "cost": res.cost}
