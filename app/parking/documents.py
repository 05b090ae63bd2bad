"""Monthly report documents (VP-9): a PDF with a summary, a small chart and a table (XLSX: app.reports.renderers).

The chart is drawn with matplotlib's Agg canvas (no display, thread-safe ``Figure``), embedded
in the PDF as a PNG.
"""

from __future__ import annotations

import io
from html import escape

from app.core.timeutil import to_local, utcnow

BRAND = "#7A2E0E"


def bar_chart_png(labels: list[str], values: list[float], *, title: str, ylabel: str) -> bytes:
    """A small bar chart as PNG bytes."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 2.4), dpi=110)
    ax = fig.subplots()
    ax.bar(labels, values, color=BRAND)
    ax.set_title(title, fontsize=10)
    ax.set_ylabel(ylabel, fontsize=8)
    ax.tick_params(labelsize=7)
    if len(labels) > 12:
        ax.set_xticks(range(0, len(labels), max(1, len(labels) // 10)))
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


def _table(data: list[list[str]], widths=None):
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(BRAND)), ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("FONTSIZE", (0, 0), (-1, -1), 8), ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F5EFE6")])]))
    return table


def pdf_report(*, title: str, subtitle: str, summary: list[tuple[str, str]], chart_png: bytes | None,
               header: list[str], rows: list[list[str]]) -> bytes:
    """An A4 report: title, summary figures, the chart, then the detail table."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    generated = to_local(utcnow()).strftime("%d %b %Y %H:%M")
    story = [Paragraph(escape(title), styles["Title"]), Paragraph(escape(subtitle), styles["Heading3"]),
             Paragraph(f"Generated {generated}", styles["Normal"]), Spacer(1, 8),
             _table([["Figure", "Value"], *[[k, v] for k, v in summary]], widths=[6 * cm, 8 * cm]), Spacer(1, 10)]
    if chart_png:
        story += [Image(io.BytesIO(chart_png), width=17 * cm, height=6.4 * cm), Spacer(1, 10)]
    story.append(_table([header, *rows]) if rows else Paragraph("No reservations.", styles["Normal"]))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title=title, leftMargin=36, rightMargin=36, topMargin=36,
                      bottomMargin=36).build(story)
    return out.getvalue()


def html_summary(*, greeting: str, intro: str, summary: list[tuple[str, str]]) -> str:
    """The e-mail's HTML body: a greeting and the summary figures as a table."""
    cells = "".join(f"<tr><th align='left'>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in summary)
    return (f"<html><body><p>{escape(greeting)}</p><p>{escape(intro)}</p>"
            f"<table border='1' cellpadding='4' cellspacing='0'>{cells}</table>"
            "<p>The full report is attached as a PDF.</p></body></html>")
