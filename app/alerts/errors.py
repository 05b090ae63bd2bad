"""Alert errors."""

from app.core.errors import Conflict, NotFound


class AlertNotFound(NotFound):
    message = "No alert with this id."


class AlreadyCancelled(Conflict):
    """The object was already cancelled."""

    error, message = "already_cancelled", "It is already cancelled."
