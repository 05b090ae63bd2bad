"""Scheduled reports (CR-4, CR-5): any report on a cron schedule, sent by e-mail and chat exactly once per period.

``kind`` is a dataset name (its rows), ``custom`` (a custom report ``spec``: title, dataset, filters,
group_by, metrics, period) or ``comprehensive`` (``spec.period`` week or month, PDF only, up to the
day before the send). Each beat run computes the cron time that fell due since the last run (the
period key, ``YYYYMMDDHHMM`` city time) and claims it with one conditional UPDATE
(``period_key < :key``): when two beats run at once, the second waits for the first's row lock and
then finds the period taken. The notifications carry dedupe keys of the period, so a retried send
never mails twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import or_, select, update

from app.core import notify
from app.core.datasets import all_datasets, get_dataset
from app.core.errors import ValidationFailed
from app.core.events import transactional
from app.core.renderers import FORMATS, render_bytes
from app.core.timeutil import local_today, parse_cron, to_local, utcnow
from app.extensions import db
from app.reports import events
from app.reports.errors import ScheduleNotFound
from app.reports.models import ReportSchedule
from app.reports.service import custom
from app.reports.service.comprehensive import PERIODS, comprehensive_pdf
from app.reports.service.exports import _check_filters, _dataset_for, report_table

log = logging.getLogger("sangam.reports")
CUSTOM, COMPREHENSIVE = "custom", "comprehensive"


def list_schedules() -> list[ReportSchedule]:
    """Every report schedule, oldest first."""
    return list(db.session.scalars(select(ReportSchedule).order_by(ReportSchedule.id)))


def _check_kind(user, kind: str, format: str, spec: dict | None) -> dict | None:  # noqa: A002
    if kind == COMPREHENSIVE:
        if format != "pdf":
            raise ValidationFailed({"format": ["The comprehensive report is a PDF."]})
        period = (spec or {}).get("period", "week")
        if period not in PERIODS:
            raise ValidationFailed({"spec": [f"period: use one of {', '.join(PERIODS)}."]})
        return {"period": period}
    if kind == CUSTOM:
        if not spec:
            raise ValidationFailed({"spec": ["A custom report schedule needs its spec."]})
        dataset = _dataset_for(user, spec["dataset"])
        filters = _check_filters(dataset, spec.get("filters") or {})
        checked = custom.check_spec(dataset, group_by=spec.get("group_by"), metrics=spec.get("metrics"),
                                    period=spec.get("period"))
        return {"title": spec["title"], "dataset": dataset.name, "filters": filters, **checked}
    if get_dataset(kind) is None:
        known = ", ".join(sorted([*all_datasets(), CUSTOM, COMPREHENSIVE]))
        raise ValidationFailed({"kind": [f"Unknown report; use one of: {known}."]})
    return None


@transactional
def create_schedule(*, user, kind: str, format: str, cron: str, recipients: dict,  # noqa: A002
                    spec: dict | None = None) -> ReportSchedule:
    """Schedule a dataset, a custom report or the comprehensive report; it needs at least one recipient."""
    checked = _check_kind(user, kind, format, spec)
    if not (recipients.get("emails") or recipients.get("chat_webhooks")):
        raise ValidationFailed({"recipients": ["Give at least one e-mail address or chat webhook."]})
    schedule = ReportSchedule(kind=kind, format=format, cron=cron, recipients=recipients, created_by=user.id,
                              created_at=utcnow(), spec=checked)
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


def due_period(schedule: ReportSchedule) -> str | None:
    """The cron time (``YYYYMMDDHHMM``, city time) that fell due since the last run, or None when none has."""
    last = to_local(schedule.last_run_at or schedule.created_at)
    now = utcnow()
    fire = now + parse_cron(schedule.cron).remaining_estimate(last)
    if fire > now:
        return None
    fire = (fire + timedelta(seconds=30)).replace(second=0, microsecond=0)  # cron times fall on whole minutes
    return to_local(fire).strftime("%Y%m%d%H%M")


def _attachment(schedule: ReportSchedule) -> tuple[str, bytes, str]:
    """(title, file, summary) of the schedule's report."""
    spec = schedule.spec or {}
    if schedule.kind == COMPREHENSIVE:
        data, _name = comprehensive_pdf(period=spec["period"], day=local_today() - timedelta(days=1))
        return f"Comprehensive {spec['period']}ly report", data, "the report is attached"
    dataset = get_dataset(spec["dataset"] if schedule.kind == CUSTOM else schedule.kind)
    table = report_table(dataset, owner_id=schedule.created_by or 0, is_admin=True, fmt=schedule.format,
                         filters=spec.get("filters") or {}, title=spec.get("title"),
                         spec=spec if schedule.kind == CUSTOM else None)
    rows = list(table.rows)
    data = render_bytes(schedule.format, title=table.title, columns=table.columns, rows=rows, charts=table.charts)
    return table.title, data, f"{len(rows)} rows"


def _deliver(schedule: ReportSchedule, key: str, now) -> None:
    title, data, summary = _attachment(schedule)
    subject = f"Sangam report: {title} ({to_local(now):%Y-%m-%d %H:%M})"
    label = custom_label(schedule)
    name = f"sangam-{label}-{to_local(now):%Y%m%d-%H%M}.{FORMATS[schedule.format][1]}"
    dedupe = f"schedule:{schedule.id}:{key}"
    for email in schedule.recipients.get("emails", []):
        notify.send("email", email, subject, f"{title}: {summary}, attached.",
                    attachments=[(name, data, FORMATS[schedule.format][0])], dedupe_key=f"{dedupe}:{email}")
    for hook in schedule.recipients.get("chat_webhooks", []):
        notify.send("chat", hook, subject, f"{title}: {summary} (sent by e-mail as {name}).",
                    dedupe_key=f"{dedupe}:{hook}")


def custom_label(schedule: ReportSchedule) -> str:
    """The file-name part naming the schedule's report."""
    from app.core.files import safe_name

    if schedule.kind == CUSTOM:
        return safe_name(schedule.spec["title"].lower())[:60]
    return schedule.kind


@transactional
def _run(schedule_id: int, key: str, now) -> bool:
    """Claim the period (one conditional UPDATE) and send it; False when another run has it already."""
    claimed = db.session.execute(
        update(ReportSchedule).where(ReportSchedule.id == schedule_id,
                                     or_(ReportSchedule.period_key.is_(None), ReportSchedule.period_key < key))
        .values(period_key=key, last_run_at=now).execution_options(synchronize_session=False)).rowcount == 1
    if not claimed:
        return False
    schedule = db.session.scalar(select(ReportSchedule).where(ReportSchedule.id == schedule_id)
                                 .execution_options(populate_existing=True))
    _deliver(schedule, key, now)
    return True


def run_due_schedules() -> int:
    """Send every schedule whose cron time has come since its last run, once per period; return how many ran."""
    now, sent = utcnow(), 0
    for schedule_id, key in [(s.id, due_period(s)) for s in list_schedules()]:
        if key is None:
            continue
        try:
            sent += _run(schedule_id, key, now)
        except Exception:  # one broken schedule must not hold the others; its period stays unclaimed
            db.session.rollback()
            log.exception("scheduled report %s failed", schedule_id)
    return sent
