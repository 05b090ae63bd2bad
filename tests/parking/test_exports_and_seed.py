"""Export my booking history in the background (VP-7); demo lots (idempotent seed)."""

import csv
import io
from datetime import UTC, datetime, timedelta

from freezegun import freeze_time

from app.extensions import db
from app.parking.models import ParkingLot
from app.parking.seed import seed_demo
from tests.conftest import bearer
from tests.parking.conftest import LOTS, RESERVATIONS

MAY_5 = datetime(2025, 5, 5, 4, 30, tzinfo=UTC)


def history(client, park, user, lot_id, days: int, vehicle="GJ11AB1234"):
    for day in range(days):
        at = MAY_5 + timedelta(days=day)
        with freeze_time(at):
            res = park(bearer(user), lot_id, vehicle).get_json()
        with freeze_time(at + timedelta(minutes=90)):
            client.post(f"{RESERVATIONS}/{res['id']}/release", headers=bearer(user))


def export(client, user, **body):
    r = client.post("/api/v1/reports/exports", json={"dataset": "reservations", "format": "csv", **body},
                    headers=bearer(user))
    assert r.status_code == 202, r.get_json()
    job = client.get(f"/api/v1/reports/exports/{r.get_json()['id']}", headers=bearer(user)).get_json()
    assert job["status"] == "done", job
    download = client.get(job["download_url"], headers=bearer(user))
    assert download.status_code == 200 and download.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(download.get_data(as_text=True))))


def test_user_exports_own_history_as_csv(client, make_lot, make_user, park):  # VP-7
    me, other = make_user(), make_user()
    lot = make_lot(name="Somnath Temple Parking")
    history(client, park, me, lot["id"], 3)
    history(client, park, other, lot["id"], 2, "MH12XY9999")
    rows = export(client, me)
    assert len(rows) == 3 and {r["Vehicle"] for r in rows} == {"GJ11AB1234"}
    first = rows[0]
    assert first["Lot"] == "Somnath Temple Parking" and first["Spot"] == "1" and first["Status"] == "released"
    assert first["Parked at"] == "2025-05-05 10:00" and first["Left at"] == "2025-05-05 11:30"  # city time
    assert first["Hours"] == "2" and first["Cost (INR)"] == "60.00"
    assert first["Driver"] == me.full_name and "User" not in first  # names, not ids
    assert len(export(client, me, filters={"date_from": "2025-05-06"})) == 2


def test_admin_exports_all_filtered_by_lot_and_dates(client, make_lot, make_user, park, admin):  # VP-7
    a, b = make_lot(name="A"), make_lot(name="B")
    history(client, park, make_user(), a["id"], 3)
    history(client, park, make_user(), b["id"], 2)
    assert len(export(client, admin)) == 5
    assert {r["Lot"] for r in export(client, admin, filters={"lot_id": str(b["id"])})} == {"B"}
    rows = export(client, admin, filters={"date_from": "2025-05-06", "date_to": "2025-05-06"})
    assert len(rows) == 2 and {r["Parked at"][:10] for r in rows} == {"2025-05-06"}


def test_bad_filter_fails_the_job_with_a_clear_error(client, make_user):  # VP-7
    user = make_user()
    r = client.post("/api/v1/reports/exports", json={"dataset": "reservations", "format": "csv",
                                                     "filters": {"date_from": "last week"}}, headers=bearer(user))
    job = client.get(f"/api/v1/reports/exports/{r.get_json()['id']}", headers=bearer(user)).get_json()
    assert job["status"] == "failed" and "YYYY-MM-DD" in job["error"]


def test_seed_demo_is_idempotent(client):
    seed_demo()
    seed_demo()
    lots = client.get(LOTS).get_json()
    names = [lot["name"] for lot in lots]
    assert len(names) == len(set(names)) >= 4 and "Somnath Temple Parking" in names
    somnath = next(lot for lot in lots if lot["name"] == "Somnath Temple Parking")
    assert somnath["pin_code"] == "362268" and "Veraval" in somnath["address"]
    assert somnath["available_spots"] == somnath["total_spots"] > 0
    assert db.session.scalar(db.select(db.func.count()).select_from(ParkingLot)) == len(lots)
