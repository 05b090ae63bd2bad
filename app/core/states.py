"""State transitions enforced by the database: one conditional UPDATE per step.

``transition(Booking, booking.id, from_=("confirmed",), to="cancelled", values={"cancelled_at": now})``
runs ``UPDATE bookings SET status='cancelled', cancelled_at=… WHERE id=… AND status IN ('confirmed')``
and returns True when that row moved. Two requests racing for the same step cannot both win: the
loser's UPDATE matches no row (it re-reads the committed status under READ COMMITTED), and the
caller answers 409. Objects already in the session are updated in place.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import update

from app.extensions import db


def transition(model, ident, *, to: str, from_: Iterable[str] | str, values: dict | None = None,
               column: str = "status") -> bool:
    """Move one row from one of ``from_`` to ``to`` (plus ``values``); True when it moved."""
    states = (from_,) if isinstance(from_, str) else tuple(from_)
    state = getattr(model, column)
    stmt = (update(model).where(model.id == ident, state.in_(states))
            .values({column: to, **(values or {})}).execution_options(synchronize_session="evaluate"))
    return db.session.execute(stmt).rowcount == 1
