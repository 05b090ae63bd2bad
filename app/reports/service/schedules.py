"""Scheduled reports (CR-4): a dataset rendered on a cron schedule and sent by e-mail and chat."""

from __future__ import annotations

from sqlalchemy import select

from app.core import notify
from app.core.datasets import all_datasets, get_dataset
from app.core.errors import ValidationFailed
from app.core.events import transactional
from app.core.renderers import FORMATS, render_bytes
from app.core.timeutil import parse_cron, to_local, utcnow
from app.extensions import db
from app.reports import events
from app.reports.errors import ScheduleNotFound
from app.reports.models import ReportSchedule


def list_schedules() -> list[ReportSchedule]:
    """Every report schedule, oldest first."""
    return list(db.session.scalars(select(ReportSchedule).order_by(ReportSchedule.id)))


@transactional
def create_schedule(*, user, kind: str, format: str, cron: str, recipients: dict) -> ReportSchedule:  # noqa: A002
    """Schedule a dataset report; it needs at least one recipient."""
    if get_dataset(kind) is None:
        raise ValidationFailed({"kind": [f"Unknown report; use one of: {', '.join(sorted(all_datasets()))}."]})
    if not (recipients.get("emails") or recipients.get("chat_webhooks")):
        raise ValidationFailed({"recipients": ["Give at least one e-mail address or chat webhook."]})
    schedule = ReportSchedule(kind=kind, format=format, cron=cron, recipients=recipients, created_by=user.id,
                              created_at=utcnow())
    db.session.add(schedule)
    db.session.flush()
    events.schedule_created(schedule)
    return schedule


@transactional
def delete_schedule(*, schedule_id: int) -> None:
    """Remove a schedule."""
    schedule = db.session.get(ReportSchedule, schedule_id)
    if schedule is None:
        raise ScheduleNotFound()
    db.session.delete(schedule)
    events.schedule_deleted(schedule_id)


def _is_due(schedule: ReportSchedule) -> bool:
    """True when a cron time has passed since the last run (or since the schedule was made)."""
    last = to_local(schedule.last_run_at or schedule.created_at)
    return parse_cron(schedule.cron).remaining_estimate(last).total_seconds() <= 0


@transactional
def _send(schedule: ReportSchedule, now) -> None:
    dataset = get_dataset(schedule.kind)
    rows = list(dataset.rows(owner_id=schedule.created_by or 0, is_admin=True, filters={}))
    data = render_bytes(schedule.format, title=dataset.title, columns=dataset.columns, rows=rows)
    stamp = to_local(now).strftime("%Y-%m-%d %H:%M")
    subject = f"Sangam report: {dataset.title} ({stamp})"
    name = f"sangam-{schedule.kind}-{to_local(now):%Y%m%d-%H%M}.{FORMATS[schedule.format][1]}"
    key = f"schedule:{schedule.id}:{to_local(now):%Y%m%d%H%M}"
    for email in schedule.recipients.get("emails", []):
        notify.send("email", email, subject, f"{dataset.title}: {len(rows)} rows, attached.",
                    attachments=[(name, data, FORMATS[schedule.format][0])], dedupe_key=f"{key}:{email}")
    for hook in schedule.recipients.get("chat_webhooks", []):
        notify.send("chat", hook, subject, f"{dataset.title}: {len(rows)} rows (sent by e-mail).",
                    dedupe_key=f"{key}:{hook}")
    schedule.last_run_at = now


def run_due_schedules() -> int:
    """Send every schedule whose cron time has come since its last run; return how many ran."""
    now, sent = utcnow(), 0
    for schedule in list_schedules():
        if _is_due(schedule):
            _send(schedule, now)
            sent += 1
    return sent
