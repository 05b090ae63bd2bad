"""Auth errors, each with its HTTP status and machine code."""

from app.core.errors import Conflict, NotFound, Unauthorized


class EmailTaken(Conflict):
    """An account with this e-mail already exists."""

    error, message = "email_taken", "An account with this e-mail already exists."


class SelfChange(Conflict):
    """An admin cannot deactivate or demote themselves."""

    error, message = "self_change", "Admins cannot deactivate or demote themselves."


class WrongCredentials(Unauthorized):
    message = "The e-mail or password is wrong."


class UserNotFound(NotFound):
    message = "No user with this id."


class DeviceNotFound(NotFound):
    message = "No active device with this id."


class SessionNotFound(NotFound):
    message = "No open session with this id."
