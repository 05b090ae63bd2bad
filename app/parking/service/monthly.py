"""Monthly reports (VP-9), on the 1st at 09:00 city time, for the month that just ended.

Every user who parked last month gets an HTML e-mail with a PDF (reservations, hours parked,
amount spent, most-used lot, a chart of reservations per day); admins get the all-lots version
(occupancy and revenue per lot) with a PDF and an XLSX. Each recipient is one committed unit
with a ``ReportRun`` row keyed by (kind, month, user): a crash mid-run resumes where it stopped,
and nothing is sent twice.
"""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal
from html import escape

from sqlalchemy import select

from app.auth import service as auth_service
from app.core import charts, notify
from app.core.datasets import Column
from app.core.events import transactional
from app.core.renderers import FORMATS, pdf_document, pdf_heading, pdf_table, render_bytes
from app.core.timeutil import local_today, to_local, utcnow
from app.extensions import db
from app.parking.models import ParkingLot, ReportRun, Reservation
from app.parking.service.stats import hours_parked, month_bounds, most_used_lot

USER_KIND, ADMIN_KIND = "monthly_report", "monthly_admin_report"
LOT_COLUMNS = [Column("lot", "Lot", 28), Column("spots", "Spots", 8, "int"),
               Column("reservations", "Reservations", 13, "int"), Column("hours", "Hours occupied", 15, "number"),
               Column("occupancy_pct", "Occupancy %", 13, "percent"), Column("revenue", "Revenue (INR)", 15, "money")]
PDF, XLSX = FORMATS["pdf"][0], FORMATS["xlsx"][0]


def previous_month(today: date | None = None) -> str:
    """``YYYY-MM`` of the month before ``today`` (city time)."""
    first = (today or local_today()).replace(day=1)
    return (first - timedelta(days=1)).strftime("%Y-%m")


def _bounds(period: str) -> tuple[datetime, datetime]:
    year, month = (int(p) for p in period.split("-"))
    return month_bounds(year, month)


def _label(period: str) -> str:
    return datetime.strptime(period, "%Y-%m").strftime("%B %Y")


def _in_month(period: str):
    start, end = _bounds(period)
    return (Reservation.parked_at >= start, Reservation.parked_at < end)


def _claim(kind: str, period: str, user_id: int) -> bool:
    """Record the report as sent; False when it already was (a re-run)."""
    done = db.session.scalar(select(ReportRun.id).where(ReportRun.kind == kind, ReportRun.period == period,
                                                        ReportRun.user_id == user_id))
    if done:
        return False
    db.session.add(ReportRun(kind=kind, period=period, user_id=user_id, sent_at=utcnow()))
    db.session.flush()
    return True


def _money(value) -> str:
    return f"₹{Decimal(value or 0):.2f}"


def user_month(user_id: int, period: str) -> dict:
    """One user's figures for a month: reservations, hours, amount, most-used lot, per-day counts."""
    where = (Reservation.user_id == user_id, *_in_month(period))
    rows = db.session.execute(select(Reservation, ParkingLot.name).join(ParkingLot, ParkingLot.id == Reservation.lot_id)
                              .where(*where).order_by(Reservation.parked_at)).all()
    per_day = Counter(to_local(r.parked_at).day for r, _ in rows)
    return {"count": len(rows), "hours": hours_parked((r.parked_at, r.left_at) for r, _ in rows),
            "spent": sum((r.cost or Decimal(0) for r, _ in rows), Decimal(0)), "lot": most_used_lot(list(where)),
            "per_day": per_day, "rows": rows}


def pdf_report(*, title: str, subtitle: str, summary: list[tuple[str, str]], chart_png: bytes | None,
               header: list[str], rows: list[list[str]]) -> bytes:
    """An A4 report: title, summary figures, the chart, then the detail table (the house PDF style)."""
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Image, Paragraph, Spacer

    story = [*pdf_heading(title, subtitle), pdf_table([["Figure", "Value"], *[[k, v] for k, v in summary]],
                                                      [6 * cm, 8 * cm]), Spacer(1, 10)]
    if chart_png:
        story += [Image(io.BytesIO(chart_png), width=17 * cm, height=6.4 * cm), Spacer(1, 10)]
    story.append(pdf_table([header, *rows]) if rows else Paragraph("No reservations.", getSampleStyleSheet()["Normal"]))
    out = io.BytesIO()
    pdf_document(out, title=title, story=story)
    return out.getvalue()


def html_summary(*, greeting: str, intro: str, summary: list[tuple[str, str]]) -> str:
    """The e-mail's HTML body: a greeting and the summary figures as a table."""
    cells = "".join(f"<tr><th align='left'>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in summary)
    return (f"<html><body><p>{escape(greeting)}</p><p>{escape(intro)}</p>"
            f"<table border='1' cellpadding='4' cellspacing='0'>{cells}</table>"
            "<p>The full report is attached as a PDF.</p></body></html>")


def _user_documents(user, period: str, figures: dict) -> tuple[list[tuple[str, str]], bytes]:
    summary = [("Reservations", str(figures["count"])), ("Hours parked", f"{figures['hours']:.1f}"),
               ("Amount spent", _money(figures["spent"])),
               ("Most-used lot", figures["lot"]["name"] if figures["lot"] else "—")]
    days = _bounds(period)
    n_days = (to_local(days[1]).date() - to_local(days[0]).date()).days
    chart = charts.bar_chart("Reservations per day", [str(d) for d in range(1, n_days + 1)],
                             [figures["per_day"].get(d, 0) for d in range(1, n_days + 1)], "reservations", small=True)
    table = [[to_local(r.parked_at).strftime("%d %b %H:%M"), name, str(r.spot_number), r.vehicle_number,
              to_local(r.left_at).strftime("%d %b %H:%M") if r.left_at else "parked", _money(r.cost)]
             for r, name in figures["rows"]]
    pdf = pdf_report(title=f"Your parking in {_label(period)}", subtitle=user.full_name, summary=summary,
                     chart_png=chart, header=["Parked", "Lot", "Spot", "Vehicle", "Left", "Cost"], rows=table)
    return summary, pdf


@transactional
def send_user_report(*, user_id: int, period: str) -> bool:
    """E-mail one user's report for ``period`` (YYYY-MM) once; False when already sent."""
    if not _claim(USER_KIND, period, user_id):
        return False
    user = auth_service.get_user(user_id)
    summary, pdf = _user_documents(user, period, user_month(user_id, period))
    html = html_summary(greeting=f"Namaste {user.full_name},", intro=f"Your parking in {_label(period)}:",
                        summary=summary)
    text = "\n".join(f"{k}: {v}" for k, v in summary)
    notify.send("email", user.email, f"Your parking report for {_label(period)}", text, html=html,
                attachments=[(f"parking-{period}.pdf", pdf, PDF)], dedupe_key=f"parking.monthly:{period}:{user_id}")
    return True


def _lot_month(lot: ParkingLot, start: datetime, end: datetime) -> dict:
    overlapping = (Reservation.lot_id == lot.id, Reservation.parked_at < end,
                   Reservation.left_at.is_(None) | (Reservation.left_at >= start))
    rows = list(db.session.scalars(select(Reservation).where(*overlapping)))
    seconds = sum((min(r.left_at or utcnow(), end) - max(r.parked_at, start)).total_seconds() for r in rows)
    capacity = (end - start).total_seconds() * lot.total_spots
    return {"lot": lot.name, "spots": lot.total_spots, "reservations": sum(1 for r in rows if r.parked_at >= start),
            "hours": round(seconds / 3600, 1), "occupancy_pct": round(100 * seconds / capacity, 1),
            "revenue": sum((r.cost for r in rows if r.left_at and start <= r.left_at < end), Decimal(0))}


def lots_month(period: str) -> list[dict]:
    """Per lot for a month: reservations, hours occupied, occupancy % and revenue (released in the month)."""
    start, end = _bounds(period)
    lots = db.session.scalars(select(ParkingLot).order_by(ParkingLot.id))
    figures = [_lot_month(lot, start, end) | {"closed": lot.deleted_at is not None} for lot in lots]
    return [f for f in figures if not f.pop("closed") or f["reservations"] or f["revenue"]]


def _admin_documents(period: str, lots: list[dict]) -> tuple[list[tuple[str, str]], bytes, bytes]:
    summary = [("Reservations", str(sum(x["reservations"] for x in lots))),
               ("Revenue", _money(sum((x["revenue"] for x in lots), Decimal(0)))),
               ("Lots", str(len(lots)))]
    chart = charts.bar_chart("Revenue per lot (INR)", [x["lot"][:14] for x in lots],
                             [float(x["revenue"]) for x in lots], "INR", small=True)
    pdf = pdf_report(title=f"Parking, all lots — {_label(period)}", subtitle="Occupancy and revenue per lot",
                     summary=summary, chart_png=chart, header=[c.title for c in LOT_COLUMNS],
                     rows=[[str(x[c.key]) for c in LOT_COLUMNS] for x in lots])
    return summary, pdf, render_bytes("xlsx", title=f"Parking {period}", columns=LOT_COLUMNS, rows=lots)


@transactional
def send_admin_report(*, user_id: int, period: str) -> bool:
    """E-mail one admin the all-lots report for ``period`` with PDF and XLSX, once."""
    if not _claim(ADMIN_KIND, period, user_id):
        return False
    admin = auth_service.get_user(user_id)
    summary, pdf, xlsx = _admin_documents(period, lots_month(period))
    html = html_summary(greeting=f"Namaste {admin.full_name},", intro=f"All parking lots in {_label(period)}:",
                        summary=summary)
    notify.send("email", admin.email, f"Parking report, all lots — {_label(period)}",
                "\n".join(f"{k}: {v}" for k, v in summary), html=html,
                attachments=[(f"parking-all-lots-{period}.pdf", pdf, PDF),
                             (f"parking-all-lots-{period}.xlsx", xlsx, XLSX)],
                dedupe_key=f"parking.monthly_admin:{period}:{user_id}")
    return True


def active_users_of(period: str) -> list[int]:
    """Ids of users who parked in ``period``."""
    return list(db.session.scalars(select(Reservation.user_id).where(*_in_month(period)).distinct()
                                   .order_by(Reservation.user_id)))


def send_monthly_reports(period: str | None = None) -> int:
    """Send last month's reports to each active user and each admin; return how many were sent now."""
    period = period or previous_month()
    sent = sum(send_user_report(user_id=uid, period=period) for uid in active_users_of(period))
    admins = auth_service.active_users(role="admin")
    return sent + sum(send_admin_report(user_id=a.id, period=period) for a in admins)
