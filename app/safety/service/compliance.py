"""Compliance (CR-3): what is overdue, expired or expiring, and the open high risks; the weekly digest.

A training counts only while it is a person's latest record of that course: a renewed
certificate makes the old, expired one drop off the list. The digest goes to every active safety
officer once per ISO week (dedupe key per week and officer), however often the beat runs.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import aliased

from app.auth import service as auth_service
from app.core import notify
from app.core.events import transactional
from app.core.security import SAFETY_OFFICER
from app.core.timeutil import local_today
from app.extensions import db
from app.safety.models import CorrectiveAction, Hazard, Inspection, Training
from app.safety.service.common import setting
from app.safety.service.registers import HIGH_BANDS


def _current_trainings():
    newer = aliased(Training)
    superseded = exists().where(newer.person == Training.person, newer.course == Training.course,
                                newer.id != Training.id,
                                or_(newer.valid_until.is_(None), newer.valid_until > Training.valid_until))
    return select(Training).where(Training.valid_until.is_not(None), ~superseded).order_by(Training.valid_until)


def _rows(stmt) -> list:
    return list(db.session.scalars(stmt))


def compliance_report(*, today: date | None = None) -> dict:
    """Overdue inspections, open corrective actions, expired/expiring trainings, high risks, reviews due."""
    today = today or local_today()
    soon = today + timedelta(days=setting("EXPIRING_DAYS"))
    report = {
        "as_of": today,
        "overdue_inspections": _rows(select(Inspection).where(Inspection.status == "scheduled",
                                                              Inspection.due_on < today).order_by(Inspection.due_on)),
        "open_corrective_actions": _rows(select(CorrectiveAction).where(CorrectiveAction.status == "open")
                                         .order_by(CorrectiveAction.due_on)),
        "expired_trainings": _rows(_current_trainings().where(Training.valid_until < today)),
        "expiring_trainings": _rows(_current_trainings().where(Training.valid_until >= today,
                                                               Training.valid_until <= soon)),
        "open_high_risks": _rows(select(Hazard).where(Hazard.status == "open", Hazard.band.in_(HIGH_BANDS))
                                 .order_by(Hazard.risk_score.desc())),
        "hazards_past_review": _rows(select(Hazard).where(Hazard.status == "open", Hazard.review_on < today)
                                     .order_by(Hazard.review_on)),
    }
    overdue_actions = sum(a.due_on < today for a in report["open_corrective_actions"])
    report["summary"] = {**{k: len(v) for k, v in report.items() if isinstance(v, list)},
                         "overdue_corrective_actions": overdue_actions,
                         "expiring_within_days": setting("EXPIRING_DAYS")}
    return report


def _digest_body(report: dict, week: str) -> str:
    s = report["summary"]
    lines = [f"Safety compliance for week {week} (as of {report['as_of']:%d %b %Y}):", "",
             f"- overdue inspections: {s['overdue_inspections']}",
             f"- open corrective actions: {s['open_corrective_actions']} ({s['overdue_corrective_actions']} overdue)",
             f"- expired trainings: {s['expired_trainings']}",
             f"- trainings expiring within {s['expiring_within_days']} days: {s['expiring_trainings']}",
             f"- open high or extreme risks: {s['open_high_risks']}",
             f"- hazards past their review date: {s['hazards_past_review']}", ""]
    lines += [f"  * inspection {i.title} at {i.site}, due {i.due_on}" for i in report["overdue_inspections"]]
    lines += [f"  * {t.person}: {t.course} expired {t.valid_until}" for t in report["expired_trainings"]]
    lines += [f"  * hazard {h.title} ({h.band}, score {h.risk_score})" for h in report["open_high_risks"]]
    return "\n".join(lines)


def _already_sent(key: str) -> bool:
    return db.session.scalar(select(notify.Notification.id).where(notify.Notification.dedupe_key == key)) is not None


@transactional
def send_compliance_digest() -> int:
    """E-mail this ISO week's compliance digest to every safety officer once; return how many were sent now."""
    report = compliance_report()
    year, number, _day = report["as_of"].isocalendar()
    week = f"{year}-W{number:02d}"
    attention = sum(v for k, v in report["summary"].items() if k not in ("expiring_within_days",
                                                                         "overdue_corrective_actions"))
    subject = f"Safety compliance {week}: {attention} item(s) need attention"
    body, sent = _digest_body(report, week), 0
    for officer in auth_service.users_by_role(SAFETY_OFFICER):
        key = f"safety:digest:{week}:{officer.id}"
        if not _already_sent(key):
            notify.send("email", officer.email, subject, body, dedupe_key=key)
            sent += 1
    return sent
