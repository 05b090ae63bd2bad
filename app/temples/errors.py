"""Temples errors: darshan slots, bookings, tickets, crowds, shuttles and resources."""

from app.core.errors import Conflict, NotFound, ServiceUnavailable, ValidationFailed


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


class ReleaseNotFound(NotFound):
    message = "No release with this id."


class ReleaseNotOpen(Conflict):
    """The slot belongs to a quota release that has not opened yet."""

    error, message = "release_not_open", "This slot is sold through a release that has not opened yet."


class SlotHeld(ReleaseNotOpen):
    message = "This slot is sold through a quota release's queue."


class SoldOut(Conflict):
    """Every seat of the quota release has been taken."""

    error, message = "sold_out", "This release is sold out."


class AlreadyQueued(Conflict):
    """The person (account or phone number) already holds a place in this release's queue."""

    error, message = "already_queued", "You already hold a place in this release's queue; wait for its result."


class ReleaseLimitReached(Conflict):
    """The person already has the most bookings one person may make in this release."""

    error, message = "release_limit_reached", "You have made as many bookings as this release allows one person."


class SlotInRelease(Conflict):
    """A slot is already sold by another release that has not closed."""

    error, message = "slot_in_release", "A slot is already part of another live release."


class TicketNotFound(NotFound):
    message = "No queue ticket with this id."


class QueueUnavailable(ServiceUnavailable):
    message = "The booking queue is not reachable; try again shortly."
