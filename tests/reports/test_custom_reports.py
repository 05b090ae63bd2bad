"""Custom reports (SC-2, CR-4): POST/GET /reports, the file's table and charts in PDF, XLSX and CSV; who sees what."""

import csv
import io
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.core.timeutil import utcnow
from tests.conftest import assert_error, bearer
from tests.factories.temples import BookingFactory, SlotFactory, TempleFactory

pytestmark = pytest.mark.usefixtures("clock")
URL = "/api/v1/reports"


@pytest.fixture
def bookings():
    """Five bookings at two temples over three local days (7, 8 and 9 March 2026)."""
    somnath, bhalka = TempleFactory(name="Shree Somnath"), TempleFactory(name="Bhalka Tirth")
    now = utcnow()
    plan = [(somnath, 2, 2), (somnath, 1, 3), (somnath, 0, 4), (bhalka, 1, 1), (bhalka, 0, 5)]
    for n, (temple, days_ago, party) in enumerate(plan):
        at = now.replace(microsecond=0) - timedelta(days=days_ago) + timedelta(hours=6)
        slot = SlotFactory(temple=temple, starts_at=at + timedelta(hours=1, minutes=n))
        BookingFactory(slot=slot, party_size=party, created_at=at)


def spec(**changes):
    return {"title": "Bookings by temple", "dataset": "bookings", "format": "xlsx", "group_by": "temple",
            "metrics": ["count", "sum:party_size", "avg:party_size"], **changes}


def make(client, headers, **changes):
    r = client.post(URL, json=spec(**changes), headers=headers)
    assert r.status_code == 202, r.get_json()
    body = r.get_json()
    assert set(body) >= {"id", "status"}
    return client.get(f"{URL}/{body['id']}", headers=headers).get_json()


def download(client, headers, report):
    assert report["status"] == "done", report
    r = client.get(report["download_url"], headers=headers)
    assert r.status_code == 200
    return r


def test_grouped_xlsx_has_typed_cells_frozen_header_filter_and_a_native_chart(client, auth_headers, bookings):
    headers = auth_headers("operator")
    report = make(client, headers)
    assert report["title"] == "Bookings by temple" and report["group_by"] == "temple" and report["rows"] == 2
    r = download(client, headers, report)
    assert r.mimetype.endswith("spreadsheetml.sheet")
    assert "sangam-bookings_by_temple-" in r.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(r.data)).active
    rows = list(sheet.values)
    assert rows[0] == ("Temple", "Count", "Sum of Party", "Average of Party")
    assert rows[1:] == [("Shree Somnath", 3, 9, 3), ("Bhalka Tirth", 2, 6, 3)]
    assert isinstance(sheet["B2"].value, int) and sheet["B2"].data_type == "n"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:D3"
    assert len(sheet._charts) == 1


def test_grouped_by_a_date_gives_date_cells_and_a_line_chart_in_the_pdf(client, auth_headers, bookings):
    headers = auth_headers("operator")
    xlsx = download(client, headers, make(client, headers, group_by="booked_at", metrics=["sum:party_size"]))
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    days = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(d, datetime) for d in days)
    assert [d.date().isoformat() for d in days] == ["2026-03-07", "2026-03-08", "2026-03-09"]
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == [2, 4, 9]
    assert sheet["A2"].number_format == "yyyy-mm-dd"

    pdf = download(client, headers, make(client, headers, group_by="booked_at", metrics=["sum:party_size"],
                                         format="pdf"))
    reader = PdfReader(io.BytesIO(pdf.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Bookings by temple" in text and "2026-03-08" in text and "Sum of Party" in text
    assert sum(len(page.images) for page in reader.pages) == 1  # the chart


def test_ungrouped_csv_is_the_rows_of_the_period(client, auth_headers, bookings):
    headers = auth_headers("operator")
    report = make(client, headers, format="csv", group_by=None, metrics=None,
                  period={"from": "2026-03-08", "to": "2026-03-08"})
    assert report["period"] == {"from": "2026-03-08", "to": "2026-03-08"}
    rows = list(csv.DictReader(io.StringIO(download(client, headers, report).get_data(as_text=True))))
    assert sorted((r["Temple"], r["Party"]) for r in rows) == [("Bhalka Tirth", "1"), ("Shree Somnath", "3")]


def test_filters_narrow_the_rows(client, auth_headers, bookings):
    headers = auth_headers("operator")
    slug = TempleFactory(name="Empty temple").slug
    report = make(client, headers, format="csv", filters={"temple": slug})
    assert report["status"] == "done" and report["rows"] == 0


@pytest.mark.parametrize("changes, field", [
    ({"dataset": "horoscopes"}, "dataset"),
    ({"group_by": "colour"}, "group_by"),
    ({"metrics": ["median:party_size"]}, "metrics"),
    ({"metrics": ["sum:temple"]}, "metrics"),
    ({"metrics": ["count"], "group_by": None}, "metrics"),
    ({"period": {"from": "2026-03-09", "to": "2026-03-01"}}, "period"),
    ({"period": {"from": "yesterday", "to": "2026-03-01"}}, "period"),
    ({"format": "docx"}, "format"),
    ({"filters": {"colour": "red"}}, "filters"),
    ({"title": ""}, "title"),
])
def test_invalid_specs_are_422_naming_the_field(client, auth_headers, changes, field):
    body = assert_error(client.post(URL, json=spec(**changes), headers=auth_headers("operator")), 422)
    assert field in body["errors"], body


def test_a_dataset_without_dates_takes_no_period(client, auth_headers):
    body = assert_error(client.post(URL, json=spec(dataset="trainings", group_by=None, metrics=None,
                                                   period={"from": "2026-03-01", "to": "2026-03-09"}),
                                    headers=auth_headers("admin")), 422)
    assert "period" in body["errors"]


def test_operators_see_their_own_admins_see_all(client, make_user, bookings):
    first, second, admin = (bearer(make_user(role)) for role in ("operator", "operator", "admin"))
    mine = make(client, first)
    theirs = make(client, second)
    assert [r["id"] for r in client.get(URL, headers=first).get_json()] == [mine["id"]]
    assert [r["id"] for r in client.get(URL, headers=admin).get_json()] == [theirs["id"], mine["id"]]
    assert_error(client.get(f"{URL}/{theirs['id']}", headers=first), 404)
    assert_error(client.get(f"{URL}/{theirs['id']}/download", headers=first), 404)
    assert client.get(f"{URL}/{theirs['id']}/download", headers=admin).status_code == 200
    assert_error(client.get(f"{URL}/999999", headers=admin), 404)


def test_pilgrims_may_not_use_reports(client, auth_headers):
    headers = auth_headers("user")
    assert_error(client.post(URL, json=spec(), headers=headers), 403)
    assert_error(client.get(URL, headers=headers), 403)
    assert_error(client.get(URL), 401)


def test_a_plain_export_is_not_a_report(client, auth_headers):
    headers = auth_headers("admin")
    job = client.post("/api/v1/reports/exports", json={"dataset": "users", "format": "csv"}, headers=headers)
    assert_error(client.get(f"{URL}/{job.get_json()['id']}", headers=headers), 404)


def test_a_report_the_broker_lost_is_sent_again_by_the_outbox_sweeper(app, client, auth_headers, bookings, clock,
                                                                      monkeypatch):
    """The same outbox as exports: a queued report whose message was lost is resent and then built."""
    from app.reports.service import requeue_stale_exports

    headers = auth_headers("operator")
    with monkeypatch.context() as broker_down:
        broker_down.setattr("app.core.jobs.send_now", lambda *_args: False)
        r = client.post(URL, json=spec(format="csv"), headers=headers)
    assert r.status_code == 202 and r.get_json()["status"] == "queued"
    report_id = r.get_json()["id"]
    assert requeue_stale_exports(queued_for=60, running_for=600)["resent"] == 0  # not stale yet
    clock.move_to(utcnow() + timedelta(minutes=2))
    assert requeue_stale_exports(queued_for=60, running_for=600)["resent"] == 1
    report = client.get(f"{URL}/{report_id}", headers=headers).get_json()
    assert report["status"] == "done" and report["rows"] == 2
    rows = list(csv.reader(io.StringIO(download(client, headers, report).get_data(as_text=True))))
    assert rows[0] == ["Temple", "Count", "Sum of Party", "Average of Party"] and len(rows) == 3
