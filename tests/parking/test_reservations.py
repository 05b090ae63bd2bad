"""Reservations (VP-5, VP-6): first free spot, lot_full, already_active, idempotency, release and cost."""

from datetime import UTC, datetime, timedelta

import pytest
from freezegun import freeze_time

from app.extensions import db
from app.parking.models import ParkingSpot, Reservation
from tests.conftest import assert_error, bearer
from tests.parking.conftest import LOTS, RESERVATIONS

T0 = datetime(2025, 6, 10, 4, 30, tzinfo=UTC)  # 10:00 in Veraval


def test_park_takes_the_first_free_spot_and_normalises_the_plate(client, make_lot, auth_headers, park):  # VP-6
    lot = make_lot(total_spots=3)
    with freeze_time(T0):
        r = park(auth_headers(), lot["id"], "gj 11 ab 1234")  # a token minted at the frozen time
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["status"] == "active" and body["spot_number"] == 1 and body["vehicle_number"] == "GJ11AB1234"
    assert body["lot"] == {"id": lot["id"], "name": lot["name"], "address": lot["address"], "pin_code": "362268"}
    assert body["parked_at"] == "2025-06-10T04:30:00+00:00" and body["cost"] is None and body["left_at"] is None
    assert park(auth_headers(), lot["id"], "GJ-03-CD-0007").get_json()["spot_number"] == 2
    assert client.get(f"{LOTS}/{lot['id']}").get_json()["available_spots"] == 1


def test_released_spot_is_reused_first(client, make_lot, auth_headers, park):  # VP-6
    lot = make_lot(total_spots=3)
    first = auth_headers()
    res = park(first, lot["id"]).get_json()
    park(auth_headers(), lot["id"])
    client.post(f"{RESERVATIONS}/{res['id']}/release", headers=first)
    assert park(auth_headers(), lot["id"]).get_json()["spot_number"] == 1


@pytest.mark.parametrize("vehicle", ["", "1234", "GUJARAT", "GJ11AB12345", "G11AB1234", "gj 11 ab 12 34 5"])
def test_bad_vehicle_numbers_are_refused(make_lot, auth_headers, park, vehicle):  # VP-6
    body = assert_error(park(auth_headers(), make_lot()["id"], vehicle), 422, "validation_error")
    assert "vehicle_number" in body["errors"]


def test_bh_series_plate_is_accepted(make_lot, auth_headers, park):
    assert park(auth_headers(), make_lot()["id"], "22 bh 1234 aa").get_json()["vehicle_number"] == "22BH1234AA"


def test_full_lot_answers_lot_full(make_lot, auth_headers, park):  # VP-6
    lot = make_lot(total_spots=1)
    park(auth_headers(), lot["id"])
    body = assert_error(park(auth_headers(), lot["id"]), 409, "lot_full")
    assert lot["name"] in body["message"]


def test_one_active_reservation_per_user(make_lot, auth_headers, park):  # VP-6
    headers = auth_headers()
    lot = make_lot()
    park(headers, lot["id"])
    assert_error(park(headers, lot["id"], "MH12XY9999"), 409, "already_active")
    assert_error(park(headers, make_lot(name="Other")["id"]), 409, "already_active")


def test_database_refuses_a_second_active_reservation_for_a_spot_or_user(make_lot, auth_headers, park, make_user):
    """The partial unique indexes hold even if the service checks were bypassed (VP-6)."""
    from sqlalchemy.exc import IntegrityError

    user = make_user()
    lot = make_lot()
    res = db.session.get(Reservation, park(bearer(user), lot["id"]).get_json()["id"])
    for clash in ({"user_id": make_user().id, "spot_id": res.spot_id}, {"user_id": user.id, "spot_id": None}):
        with db.session.begin_nested(), pytest.raises(IntegrityError):
            db.session.add(Reservation(lot_id=lot["id"], spot_number=1, vehicle_number="GJ01AA0001", status="active",
                                       price_per_hour=res.price_per_hour, parked_at=res.parked_at, **clash))
            db.session.flush()
    db.session.add(Reservation(lot_id=lot["id"], spot_id=res.spot_id, spot_number=1, vehicle_number="GJ01AA0001",
                               status="released", user_id=user.id, price_per_hour=res.price_per_hour,
                               parked_at=res.parked_at))
    db.session.flush()  # released ones do not count


def test_missing_lot_and_anonymous(client, auth_headers, park):
    assert_error(park(auth_headers(), 999), 404, "not_found")
    assert_error(client.post(RESERVATIONS, json={"lot_id": 1, "vehicle_number": "GJ11AB1234"}), 401)


def test_idempotency_key_returns_the_first_reservation(make_lot, auth_headers, park):  # VP-6
    headers = {**auth_headers(), "Idempotency-Key": "tap-42"}
    lot = make_lot()
    first = park(headers, lot["id"])
    again = park(headers, lot["id"])
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert db.session.scalar(db.select(db.func.count()).select_from(Reservation)) == 1
    assert_error(park(headers, lot["id"], "MH12XY9999"), 409, "idempotency_mismatch")  # same key, other request


@pytest.mark.parametrize("minutes,hours", [(0, 1), (1, 1), (59, 1), (60, 1), (61, 2), (150, 3), (24 * 60 + 1, 25)])
def test_release_costs_started_hours_minimum_one(client, make_lot, make_user, park, minutes, hours):  # VP-6
    user = make_user()
    lot = make_lot(price_per_hour="30.50")
    with freeze_time(T0):
        res = park(bearer(user), lot["id"]).get_json()
    with freeze_time(T0 + timedelta(minutes=minutes)):
        r = client.post(f"{RESERVATIONS}/{res['id']}/release", headers=bearer(user))
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["status"] == "released" and body["hours"] == hours
    assert body["cost"] == f"{30.5 * hours:.2f}"
    assert body["left_at"] == (T0 + timedelta(minutes=minutes)).isoformat()


def test_release_frees_the_spot_and_is_refused_twice(client, make_lot, auth_headers, park, admin_headers):  # VP-6
    headers = auth_headers()
    lot = make_lot(total_spots=1)
    res = park(headers, lot["id"]).get_json()
    assert client.post(f"{RESERVATIONS}/{res['id']}/release", headers=headers).status_code == 200
    assert db.session.scalar(db.select(ParkingSpot.status).where(ParkingSpot.lot_id == lot["id"])) == "free"
    assert client.get(f"{LOTS}/{lot['id']}").get_json()["available_spots"] == 1
    assert_error(client.post(f"{RESERVATIONS}/{res['id']}/release", headers=headers), 409, "conflict")
    assert_error(client.post(f"{RESERVATIONS}/{res['id']}/release", headers=admin_headers), 409, "conflict")
    assert park(headers, lot["id"]).status_code == 201  # free to park again


def test_only_owner_or_admin_releases(client, make_lot, auth_headers, park, admin_headers):  # VP-6
    lot = make_lot()
    res = park(auth_headers(), lot["id"]).get_json()
    assert_error(client.post(f"{RESERVATIONS}/{res['id']}/release", headers=auth_headers()), 404, "not_found")
    assert_error(client.get(f"{RESERVATIONS}/{res['id']}", headers=auth_headers()), 404)
    assert client.get(f"{RESERVATIONS}/{res['id']}", headers=admin_headers).status_code == 200
    assert client.post(f"{RESERVATIONS}/{res['id']}/release", headers=admin_headers).get_json()["cost"] == "30.00"
    assert_error(client.post(f"{RESERVATIONS}/999/release", headers=admin_headers), 404)


def test_price_is_fixed_when_parking(client, make_lot, auth_headers, park, admin_headers):  # VP-6
    from tests.parking.conftest import lot_body

    headers = auth_headers()
    lot = make_lot(price_per_hour="20.00")
    res = park(headers, lot["id"]).get_json()
    client.put(f"{LOTS}/{lot['id']}", json=lot_body(price_per_hour="99.00"), headers=admin_headers)
    assert client.post(f"{RESERVATIONS}/{res['id']}/release", headers=headers).get_json()["cost"] == "20.00"


def test_active_and_paginated_history(client, make_lot, auth_headers, park, make_user):  # VP-5, VP-6
    user = make_user()
    headers = bearer(user)
    lot = make_lot()
    assert client.get(f"{RESERVATIONS}/active", headers=headers).get_json() == []
    ids = []
    for day in range(3):
        with freeze_time(T0 + timedelta(days=day)):
            ids.append(park(bearer(user), lot["id"]).get_json()["id"])
        with freeze_time(T0 + timedelta(days=day, hours=2)):
            client.post(f"{RESERVATIONS}/{ids[-1]}/release", headers=bearer(user))
    with freeze_time(T0 + timedelta(days=5)):
        ids.append(park(bearer(user), lot["id"]).get_json()["id"])
    [active] = client.get(f"{RESERVATIONS}/active", headers=headers).get_json()
    assert active["id"] == ids[-1] and active["status"] == "active"
    r = client.get(f"{RESERVATIONS}?page_size=2", headers=headers)
    assert [x["id"] for x in r.get_json()] == [ids[3], ids[2]]
    assert '"total": 4' in r.headers["X-Pagination"]
    page2 = client.get(f"{RESERVATIONS}?page_size=2&page=2", headers=headers).get_json()
    assert [x["id"] for x in page2] == [ids[1], ids[0]] and page2[0]["cost"] == "60.00"
    released = client.get(f"{RESERVATIONS}?status=released", headers=headers).get_json()
    assert len(released) == 3
    assert client.get(RESERVATIONS, headers=auth_headers()).get_json() == []  # only mine
