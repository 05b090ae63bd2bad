"""Temples errors: darshan slots, bookings, tickets, crowds, shuttles and resources."""

from app.core.errors import Conflict, NotFound, ValidationFailed


class TempleNotFound(NotFound):
    message = "No such temple."


class ZoneNotFound(NotFound):
    message = "No such zone."


class TempleExists(Conflict):
    message = "A temple with this slug already exists."


class ZoneExists(Conflict):
    message = "The temple already has this zone."


class SlotNotFound(NotFound):
    message = "No slot with this id."


class SlotFull(Conflict):
    """Not enough seats are left in the darshan slot."""

    error, message = "slot_full", "Not enough seats are left in this slot."


class SlotClosed(Conflict):
    """The slot is closed or has already started."""

    error, message = "slot_closed", "This slot is closed or has already started."


class CapacityBelowBooked(Conflict):
    """A slot's capacity cannot go below the seats already booked."""

    error, message = "capacity_below_booked", "Capacity cannot go below the seats already booked."


class BookingNotFound(NotFound):
    message = "No booking with this code."


class AlreadyCheckedIn(Conflict):
    """The booking has been used at the gate."""

    error, message = "already_checked_in", "The booking has been used at the gate."


class BookingAlreadyCancelled(Conflict):
    error, message = "already_cancelled", "The booking is already cancelled."


class SlotPast(Conflict):
    """The slot has already started: the booking can no longer be cancelled."""

    error, message = "slot_past", "The slot has already started."


class BookingCancelled(Conflict):
    """The scanned ticket belongs to a cancelled booking."""

    error, message = "booking_cancelled", "This booking was cancelled."


class WrongDate(Conflict):
    """The ticket is for another day."""

    error, message = "wrong_date", "This ticket is for another date."


class TicketUsed(Conflict):
    """The ticket has already been used at the gate."""

    error, message = "ticket_used", "This ticket has already been used."


class ShuttleNotFound(NotFound):
    message = "No shuttle with this id."


class ResourceNotFound(NotFound):
    message = "No resource with this id."


class NoPosition(ValidationFailed):
    def __init__(self):
        super().__init__({"shuttle": ["No position has been reported yet."]})
