"""The public renderer API (CR-4): CSV streamed, XLSX styled, PDF paginated with a repeated header."""

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

from freezegun import freeze_time
from openpyxl import load_workbook
from pypdf import PdfReader

from app.core.datasets import Column
from app.core.renderers import render, render_bytes

COLUMNS = [Column("id", "Booking"), Column("name", "Pilgrim", 24), Column("fee", "Fee (INR)", 10),
           Column("at", "Darshan time", 18)]
AT = datetime(2026, 3, 1, 3, 30, tzinfo=UTC)  # 09:00 in Asia/Kolkata


def rows(n: int):
    for i in range(1, n + 1):
        yield {"id": i, "name": f"Pilgrim <{i}> & family", "fee": Decimal("120.00"), "at": AT}


def test_csv_is_streamed_one_row_at_a_time():
    out = io.BytesIO()
    sizes = []

    def watched():
        for row in rows(50):
            sizes.append(out.tell())  # what has reached the file before this row is produced
            yield row

    assert render("csv", title="Bookings", columns=COLUMNS, rows=watched(), out=out) == 50
    assert all(b > a for a, b in zip(sizes, sizes[1:], strict=False))  # written as it goes, not at the end
    parsed = list(csv.reader(io.StringIO(out.getvalue().decode())))
    assert parsed[0] == ["Booking", "Pilgrim", "Fee (INR)", "Darshan time"]
    assert parsed[1] == ["1", "Pilgrim <1> & family", "120.00", "2026-03-01 09:00"]  # local time
    assert len(parsed) == 51
    assert not out.closed  # the caller's file stays usable


def test_xlsx_has_styled_header_widths_and_typed_cells():
    data = render_bytes("xlsx", title="Bookings", columns=COLUMNS, rows=rows(3))
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Bookings"
    values = list(sheet.values)
    assert values[0] == ("Booking", "Pilgrim", "Fee (INR)", "Darshan time") and len(values) == 4
    assert values[1] == (1, "Pilgrim <1> & family", 120.0, datetime(2026, 3, 1, 9, 0))  # a real local date-time
    assert sheet["D2"].is_date and sheet["D2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:D4"
    assert sheet["A1"].font.bold and sheet["A1"].fill.fgColor.rgb.endswith("7A2E0E")
    assert sheet.column_dimensions["B"].width == 24


@freeze_time("2026-03-01 06:00:00")
def test_pdf_is_paginated_with_repeated_header_and_page_numbers():
    data = render_bytes("pdf", title="Darshan bookings", columns=COLUMNS, rows=rows(120))
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
    assert len(pages) >= 3
    assert "Darshan bookings" in pages[0] and "Generated 01 Mar 2026 11:30 IST" in pages[0]
    for number, text in enumerate(pages, start=1):
        assert "Pilgrim" in text and "Fee (INR)" in text  # the header row on every page
        assert f"Page {number}" in text
    assert "Pilgrim <120> & family" in pages[-1]


def test_empty_export_still_renders():
    header = render_bytes("csv", title="x", columns=COLUMNS, rows=[]).decode().strip()
    assert header == "Booking,Pilgrim,Fee (INR),Darshan time"
    text = PdfReader(io.BytesIO(render_bytes("pdf", title="Nothing", columns=COLUMNS, rows=[]))).pages[0].extract_text()
    assert "No rows." in text
