"""The one place that knows the database dialect: claiming the first free spot of a lot.

PostgreSQL locks the chosen row with ``FOR UPDATE SKIP LOCKED`` so concurrent claims take
different spots instead of queueing on the same one; SQLite serialises writers, and the UPDATE
re-checks ``status = 'free'`` in the same statement. Either way one statement flips a spot from
free to occupied, so two cars never get one spot.
"""

from __future__ import annotations

import functools

from sqlalchemy import Integer, bindparam, func, select, update

from app.extensions import db
from app.parking.models import FREE, OCCUPIED, ParkingSpot


def _first_free(lot_id, postgres: bool):
    stmt = (select(ParkingSpot.id).where(ParkingSpot.lot_id == lot_id, ParkingSpot.status == FREE)
            .order_by(ParkingSpot.number).limit(1))
    if postgres:
        stmt = stmt.with_for_update(skip_locked=True)
    return stmt.scalar_subquery()


@functools.cache
def _claim_statement(postgres: bool):
    """The claim, built once per dialect with the lot as a bound parameter (no statement building per request)."""
    lot_id = bindparam("in_lot", type_=Integer)
    free_before = (select(func.count()).select_from(ParkingSpot)
                   .where(ParkingSpot.lot_id == lot_id, ParkingSpot.status == FREE).scalar_subquery())
    returning = (ParkingSpot.id, ParkingSpot.number, *((free_before,) if postgres else ()))
    return (update(ParkingSpot).where(ParkingSpot.id == _first_free(lot_id, postgres), ParkingSpot.status == FREE)
            .values(status=OCCUPIED).returning(*returning).execution_options(synchronize_session=False))


def claim_first_free_spot(lot_id: int) -> tuple[int, int, int] | None:
    """Mark the lowest-numbered free spot of a lot occupied; return (spot id, number, spots still free), None when full.

    On PostgreSQL the count of free spots comes back with the claim (its subquery sees the lot as the
    statement began, so one less); SQLite counts after.
    """
    postgres = db.session.get_bind().dialect.name == "postgresql"
    row = db.session.execute(_claim_statement(postgres), {"in_lot": lot_id}).first()
    if row is None:
        return None
    return row[0], row[1], row[2] - 1 if postgres else free_in(lot_id)


def free_spot(spot_id: int | None) -> None:
    """Mark a spot free again (its reservation was released)."""
    if spot_id is not None:
        db.session.execute(update(ParkingSpot).where(ParkingSpot.id == spot_id).values(status=FREE)
                           .execution_options(synchronize_session=False))


def free_counts(lot_ids: list[int] | None = None) -> dict[int, int]:
    """Free spots per lot id (lots without free spots are absent)."""
    stmt = select(ParkingSpot.lot_id, func.count()).where(ParkingSpot.status == FREE).group_by(ParkingSpot.lot_id)
    if lot_ids is not None:
        stmt = stmt.where(ParkingSpot.lot_id.in_(lot_ids))
    return dict(db.session.execute(stmt).all())


def free_in(lot_id: int) -> int:
    """Free spots of one lot now."""
    return free_counts([lot_id]).get(lot_id, 0)
