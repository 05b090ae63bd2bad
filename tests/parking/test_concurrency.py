"""A rush of drivers never shares a spot (VP-6): 50 threads, one connection each, against PostgreSQL."""

import threading
from decimal import Decimal

from sqlalchemy import func, select

from app.core.errors import Conflict
from app.extensions import db
from app.parking import service
from app.parking.models import ParkingSpot, Reservation
from tests.conftest import needs_postgres

DRIVERS, SPOTS = 50, 10


@needs_postgres
def test_fifty_concurrent_drivers_get_exactly_ten_distinct_spots(app, committed_db, make_user):  # VP-6
    lot = service.create_lot(name="Rush Lot", address="Veraval", pin_code="362268", price_per_hour=Decimal("30"),
                             total_spots=SPOTS)
    user_ids = [make_user(email=f"rush{n}@test.sangam.in").id for n in range(DRIVERS)]
    db.session.remove()
    barrier = threading.Barrier(DRIVERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def drive(user_id: int) -> None:
        with app.app_context():
            barrier.wait(timeout=30)
            try:
                res = service.reserve(user_id=user_id, lot_id=lot["id"], vehicle_number=f"GJ11AB{user_id:04d}")
                outcome = f"spot:{res.spot_number}"
            except Conflict as exc:
                outcome = exc.error
            finally:
                db.session.remove()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=drive, args=(uid,)) for uid in user_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    spots = sorted(o for o in outcomes if o.startswith("spot:"))
    assert len(outcomes) == DRIVERS
    assert len(spots) == SPOTS and len(set(spots)) == SPOTS, outcomes
    assert outcomes.count("lot_full") == DRIVERS - SPOTS
    rows = db.session.execute(select(Reservation.spot_id, Reservation.spot_number)
                              .where(Reservation.status == "active")).all()
    assert len(rows) == SPOTS and len({r.spot_id for r in rows}) == SPOTS
    assert sorted(r.spot_number for r in rows) == list(range(1, SPOTS + 1))
    occupied = db.session.scalar(select(func.count()).where(ParkingSpot.status == "occupied"))
    assert occupied == SPOTS


@needs_postgres
def test_parallel_releases_free_the_spot_and_bill_once(app, committed_db, make_user):  # VP-6
    lot = service.create_lot(name="Release Lot", address="Veraval", pin_code="362268", price_per_hour=Decimal("30"),
                             total_spots=2)
    driver = make_user(email="leaver@test.sangam.in")
    res_id = service.reserve(user_id=driver.id, lot_id=lot["id"], vehicle_number="GJ11AB0001").id
    from app.auth import service as auth_service

    token = auth_service.issue_tokens(driver)["access_token"]
    db.session.remove()
    statuses: list[int] = []
    barrier = threading.Barrier(20)

    def leave() -> None:
        client = app.test_client()
        barrier.wait(timeout=30)
        response = client.post(f"/api/v1/parking/reservations/{res_id}/release",
                               headers={"Authorization": f"Bearer {token}"})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=leave) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert statuses.count(200) == 1 and statuses.count(409) == 19, statuses
    assert db.session.scalar(select(func.count()).where(ParkingSpot.status == "occupied")) == 0
    released = db.session.get(Reservation, res_id)
    assert released.status == "released" and released.cost == Decimal("30.00")


@needs_postgres
def test_twenty_concurrent_retries_with_one_idempotency_key_all_get_the_first_reservation(app, committed_db,
                                                                                          make_user):  # VP-6
    """The audit's reproduction gave 7×201 and 13×409 already_active; every retry must see the first answer."""
    lot = service.create_lot(name="Retry Lot", address="Veraval", pin_code="362268", price_per_hour=Decimal("30"),
                             total_spots=5)
    driver = make_user(email="retrier@test.sangam.in")
    from app.auth import service as auth_service

    headers = {"Authorization": f"Bearer {auth_service.issue_tokens(driver)['access_token']}",
               "Idempotency-Key": "tap-once-7"}
    lot_id = lot["id"]
    db.session.remove()
    answers: list = []
    barrier = threading.Barrier(20)

    def retry() -> None:
        client = app.test_client()
        barrier.wait(timeout=30)
        r = client.post("/api/v1/parking/reservations", json={"lot_id": lot_id, "vehicle_number": "GJ11AB0007"},
                        headers=headers)
        answers.append((r.status_code, r.get_json()))

    threads = [threading.Thread(target=retry) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert [status for status, _ in answers] == [201] * 20, answers
    assert len({body["id"] for _, body in answers}) == 1
    assert db.session.scalar(select(func.count()).select_from(Reservation)) == 1
