"""Footfall analytics (PW-17): daily/weekly/monthly, peak hours, bookings vs check-ins."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.core import charts
from app.core.daily import per_local_day
from app.core.timeutil import as_utc, local_to_utc, local_today, to_local, utcnow
from app.extensions import db
from app.temples.models import Booking, DarshanSlot, Temple
from app.temples.service.crowd import readings_between
from app.temples.service.temples import get_temple

PERIODS = {"daily": 30, "weekly": 12 * 7, "monthly": 365}


def _checkins(temple: Temple, start: datetime, end: datetime):
    stmt = (select(Booking.party_size, Booking.checked_in_at).join(DarshanSlot)
            .where(DarshanSlot.temple_id == temple.id, Booking.checked_in_at >= start, Booking.checked_in_at < end))
    return db.session.execute(stmt).all()


def _crowd_daily_peaks(temple: Temple, start: datetime, end: datetime) -> dict:
    """Per local day, the highest overall count (sum of zones' latest readings) — a footfall floor."""
    latest: dict = {}
    peaks: dict = defaultdict(int)
    for zone_id, count, at in readings_between(temple, start, end):
        day = to_local(as_utc(at), temple.timezone).date()
        latest[(day, zone_id)] = count
        peaks[day] = max(peaks[day], sum(v for (d, _z), v in latest.items() if d == day))
    return peaks


def _period_key(day: date, period: str) -> date:
    if period == "weekly":
        return day - timedelta(days=day.weekday())
    if period == "monthly":
        return day.replace(day=1)
    return day


def footfall(*, temple_slug: str, period: str = "daily", as_png: bool = False) -> dict | bytes:
    """Visitors per day/week/month (check-ins; crowd counts on days without bookings), or its bar chart."""
    data = _footfall(get_temple(slug=temple_slug), period)
    if not as_png:
        return data
    return charts.bar_chart(f"Footfall ({period}) — {temple_slug}", [x["period_start"] for x in data["series"]],
                            [x["footfall"] for x in data["series"]], "visitors")


def _footfall(temple: Temple, period: str) -> dict:
    today = local_today(temple.timezone)
    first = today - timedelta(days=PERIODS[period] - 1)
    start, end = local_to_utc(first, time(0), temple.timezone), utcnow()
    daily: dict = defaultdict(lambda: {"checkins": 0, "crowd_estimate": 0})
    in_temple = Booking.slot_id.in_(select(DarshanSlot.id).where(DarshanSlot.temple_id == temple.id))
    checkins = per_local_day(Booking.checked_in_at, first, today, in_temple, value=Booking.party_size,
                             zone=ZoneInfo(temple.timezone))
    for day, people in checkins.items():
        daily[day]["checkins"] = int(people)
    for day, peak in _crowd_daily_peaks(temple, start, end).items():
        daily[day]["crowd_estimate"] = peak
    grouped: dict = defaultdict(lambda: {"footfall": 0, "checkins": 0, "crowd_estimate": 0})
    for day, values in daily.items():
        bucket = grouped[_period_key(day, period)]
        bucket["checkins"] += values["checkins"]
        bucket["crowd_estimate"] += values["crowd_estimate"]
        bucket["footfall"] += values["checkins"] or values["crowd_estimate"]
    series = [{"period_start": key.isoformat(), **grouped[key]} for key in sorted(grouped)]
    return {"temple": temple.slug, "period": period, "series": series,
            "source": "check-ins; crowd counts on days without check-ins"}


def peak_hours(*, temple_slug: str, days: int = 28, as_png: bool = False) -> dict | bytes:
    """Local hours ranked by mean footfall (check-ins per hour, else mean crowd count), or its bar chart."""
    data = _peak_hours(get_temple(slug=temple_slug), days)
    if not as_png:
        return data
    by_hour = sorted(data["hours"], key=lambda x: x["hour"])
    return charts.bar_chart(f"Mean footfall by hour — {temple_slug}", [f"{x['hour']:02d}" for x in by_hour],
                            [x["mean_footfall"] for x in by_hour], "visitors")


def _peak_hours(temple: Temple, days: int) -> dict:
    end = utcnow()
    start = end - timedelta(days=days)
    per_hour: dict = defaultdict(lambda: defaultdict(float))
    for party, at in _checkins(temple, start, end):
        local = to_local(as_utc(at), temple.timezone)
        per_hour[local.hour][local.date()] += party
    source = "checkins"
    if not per_hour:
        source = "crowd"
        for _zone, count, at in readings_between(temple, start, end):
            local = to_local(as_utc(at), temple.timezone)
            per_hour[local.hour][(local.date(), _zone)] = count
    ranked = sorted(((hour, statistics.fmean(v.values())) for hour, v in per_hour.items()), key=lambda x: -x[1])
    return {"temple": temple.slug, "days": days, "source": source,
            "hours": [{"rank": i + 1, "hour": h, "mean_footfall": round(m, 1)} for i, (h, m) in enumerate(ranked)]}


def bookings_vs_checkins(*, temple_slug: str, days: int = 30, as_png: bool = False) -> dict | bytes:
    """People booked vs checked in for slots that have ended and the no-show rate, or a chart of no-shows."""
    data = _bookings_vs_checkins(get_temple(slug=temple_slug), days)
    if not as_png:
        return data
    return charts.bar_chart(f"No-shows — {temple_slug}", [x["date"] for x in data["series"]],
                            [x["booked"] - x["checked_in"] for x in data["series"]], "people not checked in")


def _bookings_vs_checkins(temple: Temple, days: int) -> dict:
    end = utcnow()
    stmt = (select(Booking.party_size, Booking.status, DarshanSlot.starts_at).join(DarshanSlot)
            .where(DarshanSlot.temple_id == temple.id, DarshanSlot.ends_at <= end,
                   DarshanSlot.starts_at >= end - timedelta(days=days), Booking.status != "cancelled"))
    per_day: dict = defaultdict(lambda: {"booked": 0, "checked_in": 0})
    for party, status, starts_at in db.session.execute(stmt):
        day = per_day[to_local(as_utc(starts_at), temple.timezone).date().isoformat()]
        day["booked"] += party
        day["checked_in"] += party if status == "checked_in" else 0
    booked = sum(d["booked"] for d in per_day.values())
    checked = sum(d["checked_in"] for d in per_day.values())
    return {"temple": temple.slug, "days": days, "booked": booked, "checked_in": checked,
            "no_show_rate": round(1 - checked / booked, 3) if booked else None,
            "series": [{"date": k, **v} for k, v in sorted(per_day.items())]}
