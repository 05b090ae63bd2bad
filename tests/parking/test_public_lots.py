"""The public lots list answered from the response cache (issue 14): a reservation is seen by the next read."""

from tests.conftest import bearer


def _free(client, lot_id, query=""):
    lots = client.get(f"/api/v1/parking/lots{query}").get_json()
    return next(x for x in lots if x["id"] == lot_id)["available_spots"]


def test_a_reservation_and_its_release_are_seen_by_the_next_lots_read(client, make_lot, make_user, park):
    lot = make_lot(total_spots=2)
    assert _free(client, lot["id"]) == 2 and _free(client, lot["id"]) == 2
    driver = bearer(make_user())
    reservation = park(driver, lot["id"]).get_json()
    assert _free(client, lot["id"]) == 1
    park(bearer(make_user()), lot["id"], vehicle="GJ11AB9999")
    assert lot["id"] not in [x["id"] for x in client.get("/api/v1/parking/lots?available=true").get_json()]
    assert client.post(f"/api/v1/parking/reservations/{reservation['id']}/release", headers=driver).status_code == 200
    assert _free(client, lot["id"], "?available=true") == 1
