"""Temples rules at the service layer, on rows made by factories (PW-3, PW-5, PW-6, PW-7)."""

from datetime import timedelta

import pytest

from app.core.errors import InvalidToken
from app.temples import service
from app.temples.errors import (
    AlreadyCheckedIn,
    BookingAlreadyCancelled,
    BookingNotFound,
    SlotClosed,
    SlotFull,
    SlotPast,
    TicketUsed,
)
from tests.factories import UserFactory
from tests.factories.temples import BookingFactory, SlotFactory


def test_booking_takes_seats_and_refuses_beyond_capacity():  # PW-3
    slot = SlotFactory(capacity=3)
    pilgrim = UserFactory()
    booking = service.book_darshan(user=pilgrim, slot_id=slot.id, party_size=2, visitors=[])
    assert booking.status == "confirmed" and booking.code.startswith("TMP-")
    assert service.get_slot(slot.id).booked == 2
    with pytest.raises(SlotFull):
        service.book_darshan(user=pilgrim, slot_id=slot.id, party_size=2, visitors=[])
    assert service.get_slot(slot.id).booked == 2


def test_a_closed_or_started_slot_takes_no_booking(clock):  # PW-3
    slot = SlotFactory(status="closed")
    with pytest.raises(SlotClosed):
        service.book_darshan(user=UserFactory(), slot_id=slot.id, party_size=1, visitors=[])
    started = SlotFactory()
    clock.tick(timedelta(hours=3))
    with pytest.raises(SlotClosed):
        service.book_darshan(user=UserFactory(), slot_id=started.id, party_size=1, visitors=[])


def test_cancel_frees_the_seats_once():  # PW-5
    booking = BookingFactory(party_size=3)
    slot_id = booking.slot_id
    pilgrim = UserFactory.build(id=booking.user_id, role="user")
    assert service.cancel_booking(user=pilgrim, code=booking.code).status == "cancelled"
    assert service.get_slot(slot_id).booked == 0
    with pytest.raises(BookingAlreadyCancelled):
        service.cancel_booking(user=pilgrim, code=booking.code)
    assert service.get_slot(slot_id).booked == 0  # the owner still sees the cancelled booking:
    assert service.get_booking(user=pilgrim, code=booking.code).cancelled_at is not None


def test_no_cancel_after_check_in_or_once_the_slot_has_started(clock):  # PW-5, PW-6
    booking = BookingFactory()
    operator = UserFactory(role="operator")
    clock.move_to(booking.slot.starts_at - timedelta(minutes=30))  # the gate opens on the day
    service.check_in(token=service.ticket_token(booking))
    with pytest.raises(AlreadyCheckedIn):
        service.cancel_booking(user=operator, code=booking.code)
    later = BookingFactory()
    clock.move_to(later.slot.starts_at + timedelta(minutes=1))
    with pytest.raises(SlotPast):
        service.cancel_booking(user=operator, code=later.code)


def test_a_ticket_is_used_once_and_a_forged_one_never(clock):  # PW-6
    booking = BookingFactory()
    token = service.ticket_token(booking)
    assert service.check_in(token=token).status == "checked_in"
    with pytest.raises(TicketUsed):
        service.check_in(token=token)
    with pytest.raises(InvalidToken):
        service.check_in(token=token[:-2] + "xx")


def test_others_do_not_see_a_booking_but_operators_do():  # PW-5
    booking = BookingFactory()
    with pytest.raises(BookingNotFound):
        service.get_booking(user=UserFactory(), code=booking.code)
    assert service.get_booking(user=UserFactory(role="operator"), code=booking.code).id == booking.id
    with pytest.raises(BookingNotFound):  # the QR code and the ticket are the owner's alone
        service.booking_qr(user=UserFactory(role="operator"), code=booking.code)


@pytest.mark.parametrize("pct,level", [(0, "low"), (29.9, "low"), (30, "moderate"), (59.9, "moderate"),
                                       (60, "high"), (80, "high"), (80.1, "critical")])
def test_crowd_levels_follow_the_thresholds(pct, level):  # PW-7
    assert service.level_for(pct) == level
