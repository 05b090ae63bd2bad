"""Render rows as CSV (streamed), XLSX (openpyxl write-only) or PDF (ReportLab): the one renderer.

    render(fmt, title=..., columns=[Column(...)], rows=iterable_of_dicts, out=binary_file) -> rows written
    render_bytes(fmt, title=..., columns=..., rows=...) -> bytes
    pdf_table(data, widths) / pdf_document(title=..., story=[...]) for documents built from parts

Text that a spreadsheet would run as a formula (starting with ``= + - @``, tab or CR) is written as
plain text prefixed with a quote, in CSV and XLSX alike (OWASP CSV injection). XLSX cells keep
their types: numbers stay numbers, times are local date-times with a number format; the header is
frozen and filterable.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from html import escape
from typing import BinaryIO

from app.core.datasets import Column
from app.core.timeutil import to_local, utcnow

FORMATS = {
    "csv": ("text/csv", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "pdf": ("application/pdf", "pdf"),
}
BRAND = "#7A2E0E"
STRIPE = "#F5EFE6"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER_FORMATS = {"money": "#,##0.00", "number": "#,##0.0##", "int": "0", "percent": "0.0",
                  "datetime": "yyyy-mm-dd hh:mm", "date": "yyyy-mm-dd"}


def neutralise(text: str) -> str:
    """Make text that a spreadsheet would evaluate inert: prefix it with a quote."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return to_local(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _safe_text(value) -> str:
    """A CSV/PDF cell: numbers as written, any other text neutralised."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return str(value)
    return neutralise(_text(value))


def _cell_value(value):
    """XLSX cell value: numbers stay numbers, times become local date-times, text is neutralised."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return to_local(value).replace(tzinfo=None)
    if isinstance(value, date):
        return value
    return neutralise(str(value))


def render_csv(*, title: str, columns: list[Column], rows: Iterable[dict], out: BinaryIO) -> int:
    """Stream rows to CSV, one row in memory at a time."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow([c.title for c in columns])
    count = 0
    for row in rows:
        writer.writerow([_safe_text(row.get(c.key)) for c in columns])
        count += 1
    text.flush()
    text.detach()
    return count


def _xlsx_cell(sheet, value, column: Column):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=_cell_value(value))
    if isinstance(value, datetime):
        cell.number_format = NUMBER_FORMATS["datetime"]
    elif isinstance(value, date):
        cell.number_format = NUMBER_FORMATS["date"]
    elif column.kind in NUMBER_FORMATS and isinstance(cell.value, (int, float)):
        cell.number_format = NUMBER_FORMATS[column.kind]
    elif isinstance(cell.value, str):
        cell.data_type = "s"  # never a formula, whatever the text says
    return cell


def render_xlsx(*, title: str, columns: list[Column], rows: Iterable[dict], out: BinaryIO) -> int:
    """A typed sheet: styled, frozen, filterable header; column widths; number and date formats."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=(title[:31] or "Export").replace("/", "-"))
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(column.width, len(column.title) + 2)
    sheet.freeze_panes = "A2"
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.title)
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor=BRAND[1:])
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows:
        sheet.append([_xlsx_cell(sheet, row.get(c.key), c) for c in columns])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(1, len(columns)))}{count + 1}"
    book.save(out)
    return count


def pdf_table(data: list[list], widths: list[float] | None = None, *, font_size: int = 8, long: bool = False):
    """The house table: brand header row repeated on every page, thin grid, striped rows."""
    from reportlab.lib import colors
    from reportlab.platypus import LongTable, Table, TableStyle

    table = (LongTable if long else Table)(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(BRAND)), ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("FONTSIZE", (0, 0), (-1, -1), font_size), ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor(STRIPE)]),
        ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def pdf_document(out: BinaryIO, *, title: str, story: list, landscape_page: bool = False) -> None:
    """Build a PDF from flowables with the house margins and a footer with the title and page number."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import SimpleDocTemplate

    size = landscape(A4) if landscape_page else A4

    def footer(canvas, doc):
        canvas.setFont("Helvetica", 8)
        canvas.drawRightString(size[0] - 36, 20, f"Page {doc.page}")
        canvas.drawString(36, 20, f"Sangam · {title}")

    doc = SimpleDocTemplate(out, pagesize=size, leftMargin=36, rightMargin=36, topMargin=36, bottomMargin=36,
                            title=title)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)


def pdf_heading(title: str, subtitle: str | None = None) -> list:
    """Title, optional subtitle and the local generation time, as flowables."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, Spacer

    styles = getSampleStyleSheet()
    generated = to_local(utcnow()).strftime("%d %b %Y %H:%M %Z")
    parts = [Paragraph(escape(title), styles["Title"])]
    if subtitle:
        parts.append(Paragraph(escape(subtitle), styles["Heading3"]))
    return [*parts, Paragraph(f"Generated {generated}", styles["Normal"]), Spacer(1, 10)]


def render_pdf(*, title: str, columns: list[Column], rows: Iterable[dict], out: BinaryIO) -> int:
    """A landscape A4 table: title, generated-at in local time, repeated header, page numbers."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph

    styles = getSampleStyleSheet()
    cell_style = styles["BodyText"].clone("cell", fontSize=8, leading=10)
    data = [[c.title for c in columns]]
    for row in rows:
        data.append([Paragraph(escape(_safe_text(row.get(c.key))), cell_style) for c in columns])
    usable = landscape(A4)[0] - 72
    total = sum(c.width for c in columns) or 1
    story = [*pdf_heading(title), pdf_table(data, [usable * c.width / total for c in columns], long=True)]
    if len(data) == 1:
        story.append(Paragraph("No rows.", styles["Normal"]))
    pdf_document(out, title=title, story=story, landscape_page=True)
    return len(data) - 1


RENDERERS = {"csv": render_csv, "xlsx": render_xlsx, "pdf": render_pdf}


def render(fmt: str, *, title: str, columns: list[Column], rows: Iterable[dict], out: BinaryIO) -> int:
    """Render rows in ``fmt`` (csv, xlsx, pdf) to ``out``; return the number of rows written."""
    return RENDERERS[fmt](title=title, columns=columns, rows=rows, out=out)


def render_bytes(fmt: str, *, title: str, columns: list[Column], rows: Iterable[dict]) -> bytes:
    """Render to memory (e-mail attachments)."""
    buffer = io.BytesIO()
    render(fmt, title=title, columns=columns, rows=rows, out=buffer)
    return buffer.getvalue()
