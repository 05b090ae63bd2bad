"""Biometric usage statistics (CR-1): enrolled people, checks per day, match rate and mean latency."""

from __future__ import annotations

from datetime import date, time, timedelta

from flask import current_app
from sqlalchemy import func, select

from app.core.daily import day_range, per_local_day
from app.core.errors import ValidationFailed
from app.core.timeutil import local_to_utc, local_today
from app.extensions import db
from app.visitors.faces import engine
from app.visitors.models import IDENTIFY, VERIFY, BiometricLog, FaceTemplate
from app.visitors.service.biometrics import unavailable_reason

DEFAULT_DAYS, MAX_DAYS = 7, 366


def _period(date_from: date | None, date_to: date | None) -> tuple[date, date]:
    last = date_to or local_today()
    first = date_from or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise ValidationFailed({"date_from": ["Must be on or before date_to."]})
    if (last - first).days + 1 > MAX_DAYS:
        raise ValidationFailed({"date_from": [f"At most {MAX_DAYS} days at a time."]})
    return first, last


def _totals(first: date, last: date) -> tuple[int, int, float | None]:
    """Checks, matches and mean latency (ms) over the period."""
    start, end = local_to_utc(first, time(0)), local_to_utc(last + timedelta(days=1), time(0))
    checks, matches, latency = db.session.execute(
        select(func.count(), func.count().filter(BiometricLog.matched.is_(True)), func.avg(BiometricLog.latency_ms))
        .where(BiometricLog.kind.in_((VERIFY, IDENTIFY)), BiometricLog.at >= start, BiometricLog.at < end)).one()
    return checks, matches, None if latency is None else round(float(latency), 1)


def biometric_stats(*, date_from: date | None = None, date_to: date | None = None) -> dict:
    """Enrolled count now, verifications and identifications per local day, match rate, mean latency."""
    first, last = _period(date_from, date_to)
    verifications = per_local_day(BiometricLog.at, first, last, BiometricLog.kind == VERIFY)
    identifications = per_local_day(BiometricLog.at, first, last, BiometricLog.kind == IDENTIFY)
    checks, matches, latency = _totals(first, last)
    return {
        "enrolled": db.session.scalar(select(func.count()).select_from(FaceTemplate)),
        "date_from": first, "date_to": last,
        "days": [{"date": d, "verifications": verifications.get(d, 0), "identifications": identifications.get(d, 0)}
                 for d in day_range(first, last)],
        "verifications": sum(verifications.values()), "identifications": sum(identifications.values()),
        "matches": matches, "match_rate": round(matches / checks, 3) if checks else None,
        "mean_latency_ms": latency, "threshold": float(current_app.config["FACE_MATCH_THRESHOLD"]),
        "model": engine.MODEL_NAME, "available": unavailable_reason() is None,
    }
