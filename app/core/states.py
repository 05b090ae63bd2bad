"""State transitions enforced by the database: one conditional UPDATE per step.

``transition(Booking, booking.id, from_=("confirmed",), to="cancelled", values={"cancelled_at": now})``
runs ``UPDATE bookings SET status='cancelled', cancelled_at=… WHERE id=… AND status IN ('confirmed')``
and returns True when that row moved. Two requests racing for the same step cannot both win: the
loser's UPDATE matches no row (it re-reads the committed status under READ COMMITTED), and the
caller answers 409. The object already in the session, if any, is given the new values (as
committed, so nothing is written twice).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from app.extensions import db


def transition(model, ident, *, to: str, from_: Iterable[str] | str, values: dict | None = None,
               column: str = "status") -> bool:
    """Move one row from one of ``from_`` to ``to`` (plus ``values``); True when it moved."""
    states = (from_,) if isinstance(from_, str) else tuple(from_)
    changes = {column: to, **(values or {})}
    stmt = (update(model).where(model.id == ident, getattr(model, column).in_(states)).values(changes)
            .execution_options(synchronize_session=False))
    if db.session.execute(stmt).rowcount != 1:
        return False
    loaded = db.session.identity_map.get(db.session.identity_key(model, ident))
    if loaded is not None:
        for key, value in changes.items():
            set_committed_value(loaded, key, value)
    return True
