"""The comprehensive report (SC-8, CR-5): one PDF with a table of contents and a section per domain with KPIs.

A period is ``week`` (the 7 local days ending on ``date``) or ``month`` (the 30 days ending on
``date``); ``date`` defaults to today (city time). Each domain that declares KPIs gets a section:
its key figures against the previous period, its daily trends as line charts (one per unit), and the
table of daily figures. Sections come from the KPI registry and the domain declarations: no domain
is named here. The PDF is cached for a few minutes and dropped after any committed event of a
domain with KPIs.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from html import escape

from app.core import charts
from app.core.cache import add_invalidation, cached_read
from app.core.daily import day_range
from app.core.domain import domains
from app.core.errors import ValidationFailed
from app.core.metrics import all_metrics
from app.core.renderers import pdf_book, pdf_contents, pdf_heading, pdf_image, pdf_section, pdf_table
from app.core.timeutil import local_today
from app.reports.service.kpis import _plain
from app.reports.service.overview import daily_values, period_figures

PERIODS = {"week": 7, "month": 30}
CACHE = "reports.comprehensive"
WIDTH = 523  # A4 portrait less the house margins, in points


def period_range(period: str, day: date | None) -> tuple[date, date]:
    """The first and last local day of the period ending on ``day`` (default today); 422 for the future."""
    last = day or local_today()
    if last > local_today():
        raise ValidationFailed({"date": ["Must not be in the future."]})
    return last - timedelta(days=PERIODS[period] - 1), last


def comprehensive_pdf(*, period: str, day: date | None = None) -> tuple[bytes, str]:
    """The comprehensive PDF of the period and its download name."""
    first, last = period_range(period, day)
    add_invalidation(CACHE, *(d.prefix for d in domains() if d.kpis))
    return _pdf(period, first.isoformat(), last.isoformat()), f"sangam-{period}-report-{last:%Y%m%d}.pdf"


@cached_read(CACHE, timeout=300)
def _pdf(period: str, first_iso: str, last_iso: str) -> bytes:
    first, last = date.fromisoformat(first_iso), date.fromisoformat(last_iso)
    title = f"Sangam {period}ly report"
    figures = period_figures(first, last)
    story = [*pdf_heading(title, f"{first:%d %b %Y} – {last:%d %b %Y} (compared with the {PERIODS[period]} days "
                                 f"before)"), *pdf_contents()]
    for domain in _domains_with_kpis():
        story += _section(domain, [f for f in figures if f["domain"] == domain.name], first, last)
    buffer = io.BytesIO()
    pdf_book(buffer, title=title, story=story)
    return buffer.getvalue()


def _domains_with_kpis() -> list:
    """Domains that declared KPIs, in the registry's order; a domain name the registry lacks gets its own title."""
    declared = {m.domain for m in all_metrics().values()}
    return [d for d in domains() if d.name in declared]


def _section(domain, figures: list[dict], first: date, last: date) -> list:
    from reportlab.platypus import CondPageBreak, PageBreak, Spacer

    parts = [PageBreak(), pdf_section(domain.title), pdf_section(f"{domain.title}: key figures", 1),
             _figures_table(figures)]
    daily = [all_metrics()[f["name"]] for f in figures if f["kind"] == "daily"]
    if daily:
        days = day_range(first, last)
        series = {m.name: daily_values(m, first, last) for m in daily}
        parts += [Spacer(1, 8), CondPageBreak(200), pdf_section(f"{domain.title}: trends", 1)]
        parts += [pdf_image(png, WIDTH * 0.75) for png in _trend_charts(daily, days, series)]
        parts += [CondPageBreak(120), pdf_section(f"{domain.title}: daily figures", 1),
                  _daily_table(daily, days, series)]
    return parts


def _figures_table(figures: list[dict]):
    rows = [["Figure", "Unit", "This period", "Previous period", "Change"]]
    for f in figures:
        change = "" if f["change_pct"] is None else f"{f['change_pct']:+.1f} %"
        previous = "now" if f["kind"] == "live" else _cell(f["previous"])
        rows.append([escape(f["title"]), f["unit"], _cell(f["value"]), previous, change])
    return pdf_table(rows, [WIDTH * w for w in (0.44, 0.1, 0.16, 0.16, 0.14)], font_size=9)


def _trend_charts(metrics: list, days: list[date], series: dict) -> list[bytes]:
    """One line chart per unit, each with a line per metric of that unit."""
    labels = [d.strftime("%d %b") for d in days]
    by_unit: dict[str, dict] = {}
    for metric in metrics:
        by_unit.setdefault(metric.unit, {})[metric.title] = [float(v) for v in series[metric.name]]
    return [charts.line_chart(f"Daily {unit}", labels, lines, unit) for unit, lines in by_unit.items()]


def _daily_table(metrics: list, days: list[date], series: dict):
    header = ["Day", *[escape(m.title) for m in metrics]]
    rows = [[d.strftime("%a %d %b"), *[_cell(_plain(series[m.name][i])) for m in metrics]] for i, d in enumerate(days)]
    first = 0.2 if len(metrics) < 4 else 0.14
    rest = (1 - first) / max(1, len(metrics))
    return pdf_table([header, *rows], [WIDTH * first, *[WIDTH * rest] * len(metrics)], font_size=7, long=True)


def _cell(value) -> str:
    return "" if value is None else str(value)
