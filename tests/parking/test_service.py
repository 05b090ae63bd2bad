"""Parking rules at the service layer, on rows made by factories (VP-3, VP-6)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from freezegun import freeze_time

from app.core.timeutil import utcnow
from app.parking import service
from app.parking.errors import AlreadyActive, AlreadyReleased, LotFull, ReservationNotFound
from tests.factories import UserFactory
from tests.factories.parking import LotFactory


def test_the_first_free_spot_is_taken_and_a_full_lot_refuses():  # VP-6
    lot = LotFactory(total_spots=2)
    first = service.reserve(user_id=UserFactory().id, lot_id=lot.id, vehicle_number="GJ11AB0001")
    second = service.reserve(user_id=UserFactory().id, lot_id=lot.id, vehicle_number="GJ11AB0002")
    assert (first.spot_number, second.spot_number) == (1, 2)
    with pytest.raises(LotFull):
        service.reserve(user_id=UserFactory().id, lot_id=lot.id, vehicle_number="GJ11AB0003")


def test_one_active_reservation_per_driver():  # VP-6
    lot, driver = LotFactory(), UserFactory()
    service.reserve(user_id=driver.id, lot_id=lot.id, vehicle_number="GJ11AB0001")
    with pytest.raises(AlreadyActive):
        service.reserve(user_id=driver.id, lot_id=lot.id, vehicle_number="GJ11AB0002")


@pytest.mark.parametrize("minutes,hours", [(0, 1), (60, 1), (61, 2), (24 * 60 + 1, 25)])
def test_release_bills_started_hours_and_only_once(minutes, hours):  # VP-6
    lot, driver = LotFactory(price_per_hour=Decimal("30.50")), UserFactory()
    start = utcnow()
    with freeze_time(start):
        res = service.reserve(user_id=driver.id, lot_id=lot.id, vehicle_number="GJ11AB0001")
    with freeze_time(start + timedelta(minutes=minutes)):
        released = service.release(user=driver, reservation_id=res.id)
    assert (released.hours, released.cost) == (hours, Decimal("30.50") * hours)
    with pytest.raises(AlreadyReleased):
        service.release(user=driver, reservation_id=res.id)


def test_only_the_owner_or_an_admin_sees_a_reservation():  # VP-5
    driver = UserFactory()
    res = service.reserve(user_id=driver.id, lot_id=LotFactory().id, vehicle_number="GJ11AB0001")
    with pytest.raises(ReservationNotFound):
        service.get_reservation(user=UserFactory(role="operator"), reservation_id=res.id)
    assert service.get_reservation(user=UserFactory(role="admin"), reservation_id=res.id).id == res.id
    with pytest.raises(ReservationNotFound):
        service.get_reservation(user=UserFactory(role="admin"), reservation_id=res.id + 999)


def test_a_reservation_request_sends_five_statements_on_postgresql(client):  # VP-6, issue 14: pinned so it cannot grow
    from sqlalchemy import event

    from app.extensions import db
    from tests.conftest import bearer

    lot_id, headers = LotFactory(total_spots=3).id, bearer(UserFactory())
    db.session.expunge_all()
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
            seen.append(" ".join(statement.split())[:100])

    engine = db.engines[None].engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        r = client.post("/api/v1/parking/reservations", json={"lot_id": lot_id, "vehicle_number": "GJ11AB0001"},
                        headers=headers)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert r.status_code == 201 and r.get_json()["spot_number"] == 1
    from tests.conftest import POSTGRES

    # who is asking; the lot; the spot claimed (with the free count on PostgreSQL); the reservation; the audit row
    assert len(seen) == (5 if POSTGRES else 6), "\n".join(seen)
