"""Monthly report (VP-9): 1st at 09:00 city time; users get HTML + PDF, admins PDF + XLSX; never twice."""

import io
from datetime import UTC, datetime, timedelta

from freezegun import freeze_time
from openpyxl import load_workbook
from pypdf import PdfReader

from app.extensions import db
from app.parking.models import ReportRun
from app.parking.service.monthly import send_user_report
from tasks.parking import send_monthly_reports
from tests.conftest import bearer
from tests.parking.conftest import RESERVATIONS

NINE_AM_1ST = datetime(2025, 6, 1, 3, 30, tzinfo=UTC)  # 1 June 09:00 in Veraval


def stay(client, park, user, lot_id, at, hours):
    with freeze_time(at):
        res = park(bearer(user), lot_id).get_json()
    with freeze_time(at + timedelta(hours=hours)):
        assert client.post(f"{RESERVATIONS}/{res['id']}/release", headers=bearer(user)).status_code == 200


def pdf_of(message) -> tuple[str, PdfReader]:
    [attachment] = [a for a in message.iter_attachments() if a.get_content_type() == "application/pdf"]
    reader = PdfReader(io.BytesIO(attachment.get_content()))
    return "\n".join(page.extract_text() for page in reader.pages), reader


def test_monthly_reports_for_users_and_admins(client, admin, make_lot, make_driver, park, mail_and_chat):
    smtp, _hook = mail_and_chat
    somnath = make_lot(name="Somnath Temple Parking", total_spots=2, price_per_hour="30.00")
    dwarka = make_lot(name="Dwarka Parking", total_spots=4, price_per_hour="50.00")
    asha, bhavin = make_driver("Asha Patel"), make_driver("Bhavin Shah")
    may = datetime(2025, 5, 3, 4, 30, tzinfo=UTC)
    stay(client, park, asha, somnath["id"], may, 2)  # 60.00
    stay(client, park, asha, somnath["id"], may + timedelta(days=7), 1.5)  # 60.00
    stay(client, park, asha, dwarka["id"], may + timedelta(days=9), 1)  # 50.00
    stay(client, park, bhavin, dwarka["id"], datetime(2025, 4, 30, 4, 30, tzinfo=UTC), 1)  # April: no report
    stay(client, park, bhavin, dwarka["id"], datetime(2025, 5, 31, 19, 0, tzinfo=UTC), 1)  # 1 June IST: June

    with freeze_time(NINE_AM_1ST):
        assert send_monthly_reports() == 2  # Asha and the admin
        assert send_monthly_reports() == 0  # never twice

    by_to = {m["To"]: m for m in smtp.messages}
    assert sorted(by_to) == sorted([asha.email, admin.email])
    mine = by_to[asha.email]
    assert mine["Subject"] == "Your parking report for May 2025"
    html = mine.get_body(("html",)).get_content()
    assert "Namaste Asha Patel" in html and "₹170.00" in html and "Somnath Temple Parking" in html
    text, reader = pdf_of(mine)
    assert "Your parking in May 2025" in text and "Reservations" in text and "4.5" in text and "170.00" in text
    assert "Somnath Temple Parking" in text and "GJ11AB1234" in text
    assert len(reader.pages[0].images) == 1  # the chart

    theirs = by_to[admin.email]
    assert theirs["Subject"] == "Parking report, all lots — May 2025"
    text, reader = pdf_of(theirs)
    assert "Occupancy and revenue per lot" in text and "Dwarka Parking" in text and len(reader.pages[0].images) == 1
    [xlsx] = [a for a in theirs.iter_attachments() if a.get_filename().endswith(".xlsx")]
    rows = list(load_workbook(io.BytesIO(xlsx.get_content())).active.values)
    assert rows[0] == ("Lot", "Spots", "Reservations", "Hours occupied", "Occupancy %", "Revenue (INR)")
    # Somnath: 3.5 h over 2 spots × 744 h; Dwarka: Asha's hour in May, Bhavin's stay started in June (IST)
    assert rows[1] == ("Somnath Temple Parking", 2, 2, 3.5, round(100 * 3.5 / (744 * 2), 1), 120.0)
    assert rows[2] == ("Dwarka Parking", 4, 1, 1.0, round(100 / (744 * 4), 1), 50.0)
    kinds = db.session.scalars(db.select(ReportRun.kind).where(ReportRun.period == "2025-05")
                               .order_by(ReportRun.kind)).all()
    assert kinds == ["monthly_admin_report", "monthly_report"]


def test_a_run_that_crashed_after_some_users_resumes_without_resending(client, admin, make_lot, make_driver, park,
                                                                        mail_and_chat):
    smtp, _hook = mail_and_chat
    lot = make_lot()
    asha, bhavin = make_driver("Asha Patel"), make_driver("Bhavin Shah")
    stay(client, park, asha, lot["id"], datetime(2025, 5, 5, 4, 30, tzinfo=UTC), 1)
    stay(client, park, bhavin, lot["id"], datetime(2025, 5, 6, 4, 30, tzinfo=UTC), 1)
    with freeze_time(NINE_AM_1ST):
        assert send_user_report(user_id=asha.id, period="2025-05") is True  # committed before the "crash"
        assert send_monthly_reports() == 2  # the re-run sends only Bhavin's (and the admin's)
    assert sorted(m["To"] for m in smtp.messages) == sorted([asha.email, bhavin.email, admin.email])


def test_schedule_is_the_1st_at_09_00_city_time():  # VP-9
    from tasks.schedule import build_schedule

    entry = build_schedule()["parking-monthly-report"]
    assert entry["task"] == send_monthly_reports.name == "tasks.parking.send_monthly_reports"
    assert entry["schedule"].day_of_month == {1} and entry["schedule"].hour == {9}
