"""Lots and spots (VP-3): admin create / update / resize / delete, validation, spot states."""

import pytest

from app.extensions import db
from app.parking.models import ParkingSpot
from tests.conftest import assert_error
from tests.parking.conftest import LOTS, lot_body


def test_admin_creates_lot_with_numbered_spots_and_public_lists_it(client, make_lot, admin_headers):  # VP-3
    lot = make_lot(total_spots=4)
    assert lot == {"id": lot["id"], "name": "Somnath Temple Parking", "address": "Somnath Temple Road, Veraval",
                   "pin_code": "362268", "price_per_hour": "30.00", "total_spots": 4, "available_spots": 4,
                   "lat": None, "lng": None}
    listed = client.get(LOTS).get_json()
    assert listed == [lot]
    spots = client.get(f"{LOTS}/{lot['id']}/spots", headers=admin_headers).get_json()
    assert [(s["number"], s["status"], s["reservation"]) for s in spots] == [(n, "free", None) for n in range(1, 5)]


@pytest.mark.parametrize("field,value", [
    ("pin_code", "36226"), ("pin_code", "062268"), ("pin_code", "36226A"), ("price_per_hour", "0"),
    ("price_per_hour", "-5"), ("total_spots", 0), ("total_spots", 5001), ("name", ""), ("total_spots", "3"),
])
def test_lot_validation(client, admin_headers, field, value):  # VP-3
    body = assert_error(client.post(LOTS, json=lot_body(**{field: value}), headers=admin_headers), 422,
                        "validation_error")
    assert field in body["errors"]


def test_unknown_field_and_missing_field_are_refused(client, admin_headers):
    assert "colour" in assert_error(client.post(LOTS, json=lot_body(colour="red"), headers=admin_headers),
                                    422)["errors"]
    body = {k: v for k, v in lot_body().items() if k != "address"}
    assert "address" in assert_error(client.post(LOTS, json=body, headers=admin_headers), 422)["errors"]


def test_only_admins_manage_lots(client, auth_headers, make_lot):  # VP-3
    lot = make_lot()
    assert_error(client.post(LOTS, json=lot_body()), 401)
    for role in ("user", "operator"):
        headers = auth_headers(role)
        assert_error(client.post(LOTS, json=lot_body(), headers=headers), 403, "forbidden")
        assert_error(client.put(f"{LOTS}/{lot['id']}", json=lot_body(), headers=headers), 403)
        assert_error(client.delete(f"{LOTS}/{lot['id']}", headers=headers), 403)
        assert_error(client.get(f"{LOTS}/{lot['id']}/spots", headers=headers), 403)


def test_put_updates_details_and_grows_the_lot(client, make_lot, admin_headers):  # VP-3
    lot = make_lot(total_spots=2)
    r = client.put(f"{LOTS}/{lot['id']}", json=lot_body(name="Somnath East", price_per_hour="45.50", total_spots=5),
                   headers=admin_headers)
    assert r.status_code == 200, r.get_json()
    assert r.get_json() | {} == {**lot, "name": "Somnath East", "price_per_hour": "45.50", "total_spots": 5,
                                 "available_spots": 5}
    numbers = db.session.scalars(db.select(ParkingSpot.number).where(ParkingSpot.lot_id == lot["id"])
                                 .order_by(ParkingSpot.number)).all()
    assert numbers == [1, 2, 3, 4, 5]


def test_shrinking_removes_free_spots_from_the_end(client, make_lot, admin_headers, auth_headers, park):  # VP-3
    lot = make_lot(total_spots=5)
    park(auth_headers(), lot["id"])  # takes spot 1
    r = client.put(f"{LOTS}/{lot['id']}", json=lot_body(total_spots=2), headers=admin_headers)
    assert r.status_code == 200 and r.get_json()["available_spots"] == 1
    spots = client.get(f"{LOTS}/{lot['id']}/spots", headers=admin_headers).get_json()
    assert [(s["number"], s["status"]) for s in spots] == [(1, "occupied"), (2, "free")]


def test_shrinking_over_an_occupied_spot_is_refused(client, make_lot, admin_headers, auth_headers, park):  # VP-3
    lot = make_lot(total_spots=3)
    for _ in range(3):
        park(auth_headers(), lot["id"])
    body = assert_error(client.put(f"{LOTS}/{lot['id']}", json=lot_body(total_spots=1), headers=admin_headers),
                        409, "conflict")
    assert "spot(s) 2, 3 are occupied" in body["message"]
    spots = client.get(f"{LOTS}/{lot['id']}/spots", headers=admin_headers).get_json()
    assert len(spots) == 3  # nothing removed


def test_delete_refused_while_occupied_then_allowed(client, make_lot, admin_headers, auth_headers, park):  # VP-3
    lot = make_lot(total_spots=2)
    res = park(auth_headers(), lot["id"]).get_json()
    body = assert_error(client.delete(f"{LOTS}/{lot['id']}", headers=admin_headers), 409, "conflict")
    assert "occupied" in body["message"]
    assert client.get(LOTS).get_json()[0]["total_spots"] == 2
    assert client.post(f"/api/v1/parking/reservations/{res['id']}/release", headers=admin_headers).status_code == 200
    assert client.delete(f"{LOTS}/{lot['id']}", headers=admin_headers).status_code == 204
    assert client.get(LOTS).get_json() == []
    assert_error(client.get(f"{LOTS}/{lot['id']}"), 404, "not_found")
    assert_error(client.delete(f"{LOTS}/{lot['id']}", headers=admin_headers), 404, "not_found")
    assert_error(client.get(f"{LOTS}/{lot['id']}/spots", headers=admin_headers), 404)


def test_available_filter_lists_only_lots_with_a_free_spot(client, make_lot, auth_headers, park):  # VP-5
    full = make_lot(name="Tiny", total_spots=1)
    roomy = make_lot(name="Roomy", total_spots=2)
    park(auth_headers(), full["id"])
    assert [lot["name"] for lot in client.get(f"{LOTS}?available=true").get_json()] == ["Roomy"]
    assert {lot["id"]: lot["available_spots"] for lot in client.get(LOTS).get_json()} == {full["id"]: 0,
                                                                                       roomy["id"]: 2}


def test_missing_lot_is_404(client, admin_headers):
    assert_error(client.put(f"{LOTS}/999", json=lot_body(), headers=admin_headers), 404, "not_found")
