"""Background exports (CR-4, VP-7): job, status, download in CSV, XLSX and PDF; ownership; expiry."""

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from freezegun import freeze_time
from openpyxl import load_workbook
from pypdf import PdfReader

from app.core.timeutil import utcnow
from app.extensions import db
from app.reports.models import ExportJob
from app.reports.service import purge_expired_exports
from tests.conftest import assert_error, bearer


@pytest.fixture
def admin(make_user):
    admin = make_user("admin", email="root@sangam.in")
    for i in range(3):  # audited changes to export
        make_user(email=f"pilgrim{i}@sangam.in")
    return admin


def export(client, headers, fmt="csv", **filters):
    r = client.post("/api/v1/reports/exports", json={"dataset": "audit", "format": fmt, "filters": filters},
                    headers=headers)
    assert r.status_code == 202, r.get_json()
    job = r.get_json()
    assert job["status"] in ("queued", "done", "failed")
    return client.get(f"/api/v1/reports/exports/{job['id']}", headers=headers).get_json()


def test_csv_export_end_to_end(client, admin):
    headers = bearer(admin)
    job = export(client, headers, "csv")
    assert job["status"] == "done" and job["rows"] == 5  # 4 accounts + the export request itself
    r = client.get(job["download_url"], headers=headers)
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert "sangam-audit-" in r.headers["Content-Disposition"] and ".csv" in r.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    assert len(rows) == 5 and {row["Action"] for row in rows} == {"create"}
    assert any("pilgrim2@sangam.in" in row["Changes"] for row in rows)


def test_xlsx_export_has_header_and_rows(client, admin):
    headers = bearer(admin)
    job = export(client, headers, "xlsx", action="create")
    r = client.get(job["download_url"], headers=headers)
    assert r.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(r.data)).active
    values = list(sheet.values)
    assert values[0][:3] == ("Time", "Actor", "Action") and len(values) == 6
    assert sheet["A1"].font.bold


def test_pdf_export_has_title_rows_and_page_numbers(client, admin):
    headers = bearer(admin)
    job = export(client, headers, "pdf")
    r = client.get(job["download_url"], headers=headers)
    assert r.mimetype == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(r.data)).pages)
    assert "Audit trail" in text and "Generated" in text and "Page 1" in text
    assert "pilgrim1@sangam.in" in text


def test_only_owner_or_admin_sees_a_job_and_roles_are_checked(client, admin, make_user):
    job = export(client, bearer(admin))
    other = bearer(make_user("operator"))
    assert_error(client.get(f"/api/v1/reports/exports/{job['id']}", headers=other), 404)
    assert_error(client.get(f"/api/v1/reports/exports/{job['id']}/download", headers=other), 404)
    assert_error(client.post("/api/v1/reports/exports", json={"dataset": "audit", "format": "csv"}, headers=other),
                 403)
    assert_error(client.post("/api/v1/reports/exports", json={"dataset": "nope", "format": "csv"},
                             headers=bearer(admin)), 422)
    assert_error(client.post("/api/v1/reports/exports", json={"dataset": "audit", "format": "doc"},
                             headers=bearer(admin)), 422)
    body = assert_error(client.post("/api/v1/reports/exports", json={"dataset": "audit", "format": "csv",
                                                                    "filters": {"colour": "red"}},
                                    headers=bearer(admin)), 422)
    assert "colour" in body["errors"]["filters"][0]


def test_bad_filter_value_fails_the_job_with_its_error(client, admin):
    job = export(client, bearer(admin), "csv", **{"from": "yesterday"})
    assert job["status"] == "failed" and "ISO" in job["error"]
    assert_error(client.get(f"/api/v1/reports/exports/{job['id']}/download", headers=bearer(admin)), 409)


def test_exports_expire(app, client, admin):
    headers = bearer(admin)
    job = export(client, headers)
    path = Path(app.config["EXPORT_DIR"]) / f"export-{job['id']}.csv"
    assert path.exists()
    with freeze_time(utcnow() + timedelta(days=8)):
        assert_error(client.get(job["download_url"], headers=bearer(admin)), 404, "export_expired")
        assert purge_expired_exports() == 1
    assert db.session.get(ExportJob, job["id"]) is None
    assert not path.exists()


HOSTILE = "=cmd|'/Ccalc'!A0@x.test"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_injection_is_neutralised_in_exports(client, admin, fmt):
    """The audit's reproduction: an account named like a formula lands in the admin's export as plain text."""
    r = client.post("/api/v1/auth/register", json={"email": HOSTILE, "password": "Formula-passw0rd",
                                                   "full_name": "@SUM(A1:A9)", "phone": "+91 98000 00000"})
    assert r.status_code == 201, r.get_json()
    job = client.post("/api/v1/reports/exports", json={"dataset": "users", "format": fmt},
                      headers=bearer(admin)).get_json()
    data = client.get(f"/api/v1/reports/exports/{job['id']}/download", headers=bearer(admin)).data
    if fmt == "csv":
        cells = [cell for row in csv.reader(io.StringIO(data.decode())) for cell in row]
    else:
        sheet = load_workbook(io.BytesIO(data)).active
        typed = [c for row in sheet.iter_rows(min_row=2) for c in row]
        assert all(c.data_type != "f" for c in typed)  # no formula cell anywhere
        cells = [c.value for c in typed]
    assert "'" + HOSTILE.lower() in cells and "'@SUM(A1:A9)" in cells
    assert not any(isinstance(c, str) and c.startswith(("=", "@", "+", "-")) for c in cells)
