"""Parking figures (VP-2, VP-4, VP-5, VP-10): mine, the admin's, and recent activity.

Reads are cached as plain dicts keyed by ids (admin 5 min, user 2 min) and abandoned by any
committed ``parking.*`` event, so a figure is never stale after a change.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from app.auth import service as auth_service
from app.core.cache import cached_read
from app.core.timeutil import local_to_utc, local_today, utcnow
from app.extensions import db
from app.parking.models import ACTIVE, OCCUPIED, ParkingLot, ParkingSpot, Reservation
from app.parking.service.reservations import active_reservation_of

ZERO = Decimal("0.00")


def hours_parked(rows) -> float:
    """Total hours between parking and leaving (or now, while parked), to one decimal."""
    now = utcnow()
    seconds = sum(((left or now) - parked).total_seconds() for parked, left in rows)
    return round(seconds / 3600, 1)


def most_used_lot(where) -> dict | None:
    """The lot with the most reservations matching ``where`` (ties: the older lot)."""
    row = db.session.execute(
        select(ParkingLot.id, ParkingLot.name, func.count(Reservation.id).label("n"))
        .join(Reservation, Reservation.lot_id == ParkingLot.id).where(*where)
        .group_by(ParkingLot.id, ParkingLot.name).order_by(func.count(Reservation.id).desc(), ParkingLot.id)
        .limit(1)).first()
    return None if row is None else {"id": row.id, "name": row.name, "reservations": row.n}


@cached_read("parking.user_stats", timeout=120, invalidated_by=("parking.",))
def _my_stats(user_id: int) -> dict:
    """Bookings, money spent, hours parked, most-used lot and the current reservation of one user."""
    mine = Reservation.user_id == user_id
    count, spent = db.session.execute(select(func.count(Reservation.id), func.sum(Reservation.cost))
                                      .where(mine)).one()
    active = active_reservation_of(user_id)
    return {"bookings": count, "total_spent": spent or ZERO,
            "hours_parked": hours_parked(db.session.execute(select(Reservation.parked_at, Reservation.left_at)
                                                            .where(mine))),
            "most_used_lot": most_used_lot([mine]),
            "active_reservation": reservation_view(active) if active else None}


def reservation_view(res: Reservation) -> dict:
    """A reservation as plain data for cached figures (the same keys as the REST resource)."""
    lot = res.lot
    return {"id": res.id, "lot_id": res.lot_id, "spot_number": res.spot_number,
            "lot": {"id": lot.id, "name": lot.name, "address": lot.address, "pin_code": lot.pin_code},
            "vehicle_number": res.vehicle_number, "status": res.status, "price_per_hour": res.price_per_hour,
            "parked_at": res.parked_at, "left_at": res.left_at, "cost": res.cost, "hours": res.hours}


def my_stats(*, user_id: int) -> dict:
    """Bookings, money spent, hours parked, most-used lot and the current reservation of one user (cached 2 min)."""
    return _my_stats(user_id)


def _revenue_since(start: datetime) -> Decimal:
    return db.session.scalar(select(func.sum(Reservation.cost)).where(Reservation.left_at >= start)) or ZERO


def lot_occupancy() -> list[dict]:
    """Occupied and free spots of every open lot."""
    occupied = dict(db.session.execute(select(ParkingSpot.lot_id, func.count()).where(ParkingSpot.status == OCCUPIED)
                                       .group_by(ParkingSpot.lot_id)).all())
    lots = db.session.scalars(select(ParkingLot).where(ParkingLot.deleted_at.is_(None)).order_by(ParkingLot.id))
    return [{"id": lot.id, "name": lot.name, "total_spots": lot.total_spots, "occupied": occupied.get(lot.id, 0),
             "available": lot.total_spots - occupied.get(lot.id, 0),
             "occupancy_pct": round(100 * occupied.get(lot.id, 0) / lot.total_spots, 1)} for lot in lots]


@cached_read("parking.admin_stats", timeout=300, invalidated_by=("parking.", "auth.user_"))
def admin_stats() -> dict:
    """Occupancy per lot, revenue today and this month (city time), active reservations, users (cached 5 min)."""
    today = local_today()
    day_start = local_to_utc(today, time(0))
    month_start = local_to_utc(today.replace(day=1), time(0))
    active = db.session.scalar(select(func.count(Reservation.id)).where(Reservation.status == ACTIVE))
    parked_today = db.session.scalar(select(func.count(Reservation.id)).where(Reservation.parked_at >= day_start))
    return {"lots": lot_occupancy(), "revenue": {"today": _revenue_since(day_start),
                                                 "month": _revenue_since(month_start)},
            "active_reservations": active, "reservations_today": parked_today,
            "users": auth_service.count_users(), "at": utcnow()}


def _activity(kind: str, res: Reservation, lot_names: dict[int, str]) -> dict:
    return {"kind": kind, "at": res.parked_at if kind == "park" else res.left_at, "reservation_id": res.id,
            "user_id": res.user_id, "lot_id": res.lot_id, "lot": lot_names.get(res.lot_id),
            "spot_number": res.spot_number, "vehicle_number": res.vehicle_number,
            "cost": res.cost if kind == "release" else None}


def recent_activity(*, limit: int = 20) -> list[dict]:
    """The last ``limit`` parks and releases, newest first."""
    parks = db.session.scalars(select(Reservation).order_by(Reservation.parked_at.desc(), Reservation.id.desc())
                               .limit(limit))
    releases = db.session.scalars(select(Reservation).where(Reservation.left_at.is_not(None))
                                  .order_by(Reservation.left_at.desc(), Reservation.id.desc()).limit(limit))
    lot_names = dict(db.session.execute(select(ParkingLot.id, ParkingLot.name)).all())
    items = [_activity("park", r, lot_names) for r in parks] + [_activity("release", r, lot_names) for r in releases]
    items.sort(key=lambda a: (a["at"], a["kind"] == "release", a["reservation_id"]), reverse=True)
    return items[:limit]


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """UTC start and end of a calendar month in city time."""
    first = datetime(year, month, 1).date()
    nxt = (first + timedelta(days=32)).replace(day=1)
    return local_to_utc(first, time(0)), local_to_utc(nxt, time(0))
