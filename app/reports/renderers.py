"""Render dataset rows as CSV (streamed), XLSX (openpyxl write-only) or PDF (ReportLab).

    render(fmt, title=..., columns=[Column(...)], rows=iterable_of_dicts, out=binary_file) -> rows written
    render_bytes(fmt, title=..., columns=..., rows=...) -> bytes
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import BinaryIO

from app.core.timeutil import to_local, utcnow
from app.reports.datasets import Column

FORMATS = {
    "csv": ("text/csv", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "pdf": ("application/pdf", "pdf"),
}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return to_local(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _cell(value):
    """XLSX cell value: numbers stay numbers, times become local wall-clock text."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return _text(value)


def render_csv(*, title: str, columns: list[Column], rows: Iterable[dict], out: BinaryIO) -> int:
    """Stream rows to CSV, one row in memory at a time."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow([c.title for c in columns])
    count = 0
    for row in rows:
        writer.writerow([_text(row.get(c.key)) for c in columns])
        count += 1
    text.flush()
    text.detach()
    return count


def render_xlsx(*, title: str, columns: list[Column], rows: Iterable[dict], out: BinaryIO) -> int:
    """Write rows with openpyxl's write-only workbook, a styled header and column widths."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31] or "Export")
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[_letter(index)].width = max(column.width, len(column.title) + 2)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.title)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="7A2E0E")
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows:
        sheet.append([_cell(row.get(c.key)) for c in columns])
        count += 1
    book.save(out)
    return count


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def render_pdf(*, title: str, columns: list[Column], rows: Iterable[dict], out: BinaryIO) -> int:
    """A landscape A4 table: title, generated-at in local time, repeated header, page numbers."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

    styles = getSampleStyleSheet()
    cell_style = styles["BodyText"].clone("cell", fontSize=8, leading=10)
    data = [[c.title for c in columns]]
    for row in rows:
        data.append([Paragraph(_escape(_text(row.get(c.key))), cell_style) for c in columns])
    page_w, _ = landscape(A4)
    usable = page_w - 72
    total = sum(c.width for c in columns) or 1
    table = LongTable(data, colWidths=[usable * c.width / total for c in columns], repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#7A2E0E")),
        ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("FONTSIZE", (0, 0), (-1, 0), 8),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F5EFE6")]),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    generated = to_local(utcnow()).strftime("%d %b %Y %H:%M %Z")

    def number_page(canvas, doc):
        canvas.setFont("Helvetica", 8)
        canvas.drawRightString(page_w - 36, 20, f"Page {doc.page}")
        canvas.drawString(36, 20, f"Sangam · {title}")

    doc = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=36, rightMargin=36, topMargin=36,
                            bottomMargin=36, title=title)
    story = [Paragraph(_escape(title), styles["Title"]), Paragraph(f"Generated {generated}", styles["Normal"]),
             Spacer(1, 12), table]
    if len(data) == 1:
        story.append(Paragraph("No rows.", styles["Normal"]))
    doc.build(story, onFirstPage=number_page, onLaterPages=number_page)
    return len(data) - 1


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


RENDERERS = {"csv": render_csv, "xlsx": render_xlsx, "pdf": render_pdf}


def render(fmt: str, *, title: str, columns: list[Column], rows: Iterable[dict], out: BinaryIO) -> int:
    """Render rows in ``fmt`` (csv, xlsx, pdf) to ``out``; return the number of rows written."""
    return RENDERERS[fmt](title=title, columns=columns, rows=rows, out=out)


def render_bytes(fmt: str, *, title: str, columns: list[Column], rows: Iterable[dict]) -> bytes:
    """Render to memory (e-mail attachments)."""
    buffer = io.BytesIO()
    render(fmt, title=title, columns=columns, rows=rows, out=buffer)
    return buffer.getvalue()
