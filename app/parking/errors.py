"""Parking errors."""

from app.core.errors import Conflict, NotFound


class LotNotFound(NotFound):
    message = "No parking lot with this id."


class LotFull(Conflict):
    """Every spot of the lot is taken."""

    error, message = "lot_full", "The lot is full; try another lot."


class AlreadyActive(Conflict):
    """The driver already has an active reservation."""

    error, message = "already_active", "You already have an active reservation; release it first."


class LotOccupied(Conflict):
    message = "Occupied spots stand in the way; release them first."


class ReservationNotFound(NotFound):
    message = "No reservation with this id."


class AlreadyReleased(Conflict):
    message = "This reservation has already been released."
