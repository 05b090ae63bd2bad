"""Daily reminder (VP-8): at 18:00 city time, users who have not parked for 7 days are reminded.

Each user gets one e-mail per local day (a ``ReportRun`` row and the notification's
``dedupe_key``); each configured chat webhook gets **one message listing the users reminded in
that run**. Running the job twice sends nothing more. Users opt out with ``PATCH /auth/me
{reminders: false}``.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import or_, select

from app.auth import service as auth_service
from app.core import notify
from app.core.events import transactional
from app.core.timeutil import local_today, utcnow
from app.extensions import db
from app.parking.models import ACTIVE, ReportRun, Reservation

KIND = "daily_reminder"
QUIET_DAYS = 7


def _recent_parkers(since) -> set[int]:
    stmt = select(Reservation.user_id).where(or_(Reservation.parked_at >= since, Reservation.status == ACTIVE))
    return set(db.session.scalars(stmt.distinct()))


def _already_reminded(day: date) -> set[int]:
    return set(db.session.scalars(select(ReportRun.user_id).where(ReportRun.kind == KIND,
                                                                  ReportRun.period == day.isoformat())))


def users_to_remind(day: date) -> list:
    """Users accepting reminders with no reservation in the last 7 days, not yet reminded on ``day``."""
    skip = _recent_parkers(utcnow() - timedelta(days=QUIET_DAYS)) | _already_reminded(day)
    return [u for u in auth_service.active_users(reminders_only=True, role="user") if u.id not in skip]


def _email(user, day: date) -> None:
    body = (f"Namaste {user.full_name},\n\nYou have not parked with Sangam for a week. Visiting the temples "
            "soon? Book a spot in advance: open the app, pick a lot near your temple and park in one tap.\n\n"
            "To stop these reminders, turn them off in your profile.")
    notify.send("email", user.email, "Planning a visit? Book your parking spot", body,
                dedupe_key=f"parking.reminder:{user.id}:{day.isoformat()}")


def _chat(users: list, day: date) -> None:
    names = "\n".join(f"• {u.full_name}" for u in users)
    text = f"{len(users)} user(s) have not parked for {QUIET_DAYS} days and were reminded today:\n{names}"
    run = hashlib.sha256(",".join(str(u.id) for u in users).encode()).hexdigest()[:16]
    for url in current_app.config["CHAT_WEBHOOK_URLS"]:
        notify.send("chat", url, f"Parking reminders {day.isoformat()}", text,
                    dedupe_key=f"parking.reminder.chat:{day.isoformat()}:{run}:{url}"[:200])


@transactional
def send_daily_reminders() -> int:
    """Remind quiet users by e-mail and post one list to each chat webhook; return how many were reminded."""
    day = local_today()
    users = users_to_remind(day)
    for user in users:
        db.session.add(ReportRun(kind=KIND, period=day.isoformat(), user_id=user.id, sent_at=utcnow()))
        _email(user, day)
    if users:
        db.session.flush()  # a concurrent run (a second beat) fails here on the unique key and rolls back
        _chat(users, day)
    return len(users)
