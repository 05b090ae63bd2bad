"""Render rows as CSV (streamed), XLSX (openpyxl write-only) or PDF (ReportLab): the one renderer.

    render(fmt, title=..., columns=[Column(...)], rows=iterable_of_dicts, out=binary_file) -> rows written
    render_bytes(fmt, title=..., columns=..., rows=...) -> bytes
    pdf_table(data, widths) / pdf_document(title=..., story=[...]) for documents built from parts
    pdf_book(out, title=..., story=[pdf_section("…"), …]) for a long document with a table of contents
    charts=[TableChart(...)]: a chart of the table (PDF: its PNG above the table; XLSX: a native chart)

Text that a spreadsheet would run as a formula (starting with ``= + - @``, tab or CR) is written as
plain text prefixed with a quote, in CSV and XLSX alike (OWASP CSV injection). XLSX cells keep
their types: numbers stay numbers, times are local date-times with a number format; the header is
frozen and filterable.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class TableChart:
    """A chart of a rendered table: categories from one column, values from another.

    The PDF embeds ``png`` (drawn by ``app.core.charts``); the XLSX draws a native chart over the cells.
    """

    kind: str  # bar | line
    title: str
    category: str  # the column key of the labels
    value: str  # the column key of the values
    png: bytes | None = None


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


def render_csv(*, title: str, columns: list[Column], rows: Iterable[dict], out: BinaryIO, charts=()) -> int:
    """Stream rows to CSV, one row in memory at a time (charts do not fit in CSV)."""
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


def _xlsx_chart(sheet, chart: TableChart, columns: list[Column], count: int) -> None:
    from openpyxl.chart import BarChart, LineChart, Reference

    keys = [c.key for c in columns]
    native = BarChart() if chart.kind == "bar" else LineChart()
    native.title, native.height, native.width = chart.title, 8, 18
    value_col, category_col = keys.index(chart.value) + 1, keys.index(chart.category) + 1
    native.add_data(Reference(sheet, min_col=value_col, min_row=1, max_row=count + 1), titles_from_data=True)
    native.set_categories(Reference(sheet, min_col=category_col, min_row=2, max_row=count + 1))
    native.anchor = f"{_letter(len(columns) + 2)}2"
    sheet.add_chart(native)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def render_xlsx(*, title: str, columns: list[Column], rows: Iterable[dict], out: BinaryIO, charts=()) -> int:
    """A typed sheet: styled, frozen, filterable header; column widths; number and date formats; native charts."""
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
    for chart in charts[:1] if count else ():
        _xlsx_chart(sheet, chart, columns, count)
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


def pdf_image(png: bytes, width: float):
    """A PNG as a flowable scaled to ``width`` points, keeping its aspect ratio."""
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image

    pixels_wide, pixels_high = ImageReader(io.BytesIO(png)).getSize()
    return Image(io.BytesIO(png), width=width, height=width * pixels_high / pixels_wide)


def render_pdf(*, title: str, columns: list[Column], rows: Iterable[dict], out: BinaryIO, charts=()) -> int:
    """A landscape A4 table: title, generated-at in local time, charts, repeated header, page numbers."""
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
    pictures = [pdf_image(c.png, usable * 0.55) for c in charts if c.png and len(data) > 1]
    story = [*pdf_heading(title), *pictures, pdf_table(data, [usable * c.width / total for c in columns], long=True)]
    if len(data) == 1:
        story.append(Paragraph("No rows.", styles["Normal"]))
    pdf_document(out, title=title, story=story, landscape_page=True)
    return len(data) - 1


RENDERERS = {"csv": render_csv, "xlsx": render_xlsx, "pdf": render_pdf}


def render(fmt: str, *, title: str, columns: list[Column], rows: Iterable[dict], out: BinaryIO,
           charts: list[TableChart] | tuple = ()) -> int:
    """Render rows in ``fmt`` (csv, xlsx, pdf) to ``out``; return the number of rows written."""
    return RENDERERS[fmt](title=title, columns=columns, rows=rows, out=out, charts=tuple(charts))


def render_bytes(fmt: str, *, title: str, columns: list[Column], rows: Iterable[dict],
                 charts: list[TableChart] | tuple = ()) -> bytes:
    """Render to memory (e-mail attachments)."""
    buffer = io.BytesIO()
    render(fmt, title=title, columns=columns, rows=rows, out=buffer, charts=charts)
    return buffer.getvalue()


def pdf_section(title: str, level: int = 0):
    """A heading that joins the table of contents and the PDF outline of a ``pdf_book``."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph

    style = getSampleStyleSheet()["Heading1" if level == 0 else "Heading2"]
    heading = Paragraph(escape(title), style)
    heading.toc_level = level
    return heading


def pdf_contents(title: str = "Contents") -> list:
    """The table of contents as flowables (filled in by ``pdf_book``'s passes)."""
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.platypus import Paragraph
    from reportlab.platypus.tableofcontents import TableOfContents

    toc = TableOfContents()
    toc.levelStyles = [ParagraphStyle("toc0", fontSize=11, leading=16, leftIndent=12, firstLineIndent=-12),
                       ParagraphStyle("toc1", fontSize=9, leading=12, leftIndent=28, firstLineIndent=-12)]
    return [Paragraph(escape(title), getSampleStyleSheet()["Heading1"]), toc]


def pdf_book(out: BinaryIO, *, title: str, story: list) -> None:
    """A portrait PDF whose ``pdf_section`` headings fill its table of contents and its bookmarks (multiBuild)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    class Book(BaseDocTemplate):
        def afterFlowable(self, flowable):  # noqa: N802 - ReportLab hook name
            level = getattr(flowable, "toc_level", None)
            if level is None:
                return
            text = flowable.getPlainText()
            key = f"section-{id(flowable)}"  # the same flowable on every pass of multiBuild
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)
            self.notify("TOCEntry", (level, text, self.page, key))

    def footer(canvas, doc):
        canvas.setFont("Helvetica", 8)
        canvas.drawRightString(A4[0] - 36, 20, f"Page {doc.page}")
        canvas.drawString(36, 20, f"Sangam · {title}")

    doc = Book(out, pagesize=A4, leftMargin=36, rightMargin=36, topMargin=36, bottomMargin=36, title=title)
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=footer)])
    doc.multiBuild(story)
