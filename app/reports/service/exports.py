"""Export jobs (CR-4, VP-7) and custom reports (SC-2): request, run in the background, download, expire.

A custom report is an export job of ``kind="report"`` with a title and a spec (``custom.py``): the
same outbox, worker task, sweeper and deadline serve both.

The job row is the outbox: ``queued`` → ``running`` (claimed by one worker with a conditional
UPDATE) → ``done`` or ``failed``. ``requeue_stale_exports`` (housekeeping) sends again jobs left
``queued`` while the broker was down, and re-queues — or fails, after ``MAX_ATTEMPTS`` — jobs left
``running`` by a worker that died.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select, update

from app.core import files, jobs
from app.core.daily import per_local_day
from app.core.datasets import Dataset, all_datasets, get_dataset
from app.core.errors import Forbidden, ValidationFailed
from app.core.events import transactional
from app.core.renderers import FORMATS, render
from app.core.security import ADMIN, ensure_owner_or_roles
from app.core.states import transition
from app.core.timeutil import utcnow
from app.extensions import db
from app.reports import events
from app.reports.errors import ExportExpired, ExportNotFound, ExportNotReady, ReportNotFound
from app.reports.models import ExportJob
from app.reports.service import custom

log = logging.getLogger("sangam.reports")
TASK = "tasks.exports.run"
MAX_ATTEMPTS = 3


def _dataset_for(user, name: str) -> Dataset:
    dataset = get_dataset(name)
    if dataset is None:
        raise ValidationFailed({"dataset": [f"Unknown dataset; use one of: {', '.join(sorted(all_datasets()))}."]})
    if user.role != ADMIN and user.role not in dataset.roles:
        raise Forbidden(f"Your role may not export {name}.")
    return dataset


def _check_filters(dataset: Dataset, filters: dict) -> dict:
    unknown = sorted(set(filters) - set(dataset.filters))
    if unknown:
        allowed = ", ".join(sorted(dataset.filters)) or "none"
        raise ValidationFailed({"filters": [f"Unknown filter(s) {', '.join(unknown)}; allowed: {allowed}."]})
    return {k: str(v) for k, v in filters.items() if v is not None}


def sees_all(user, dataset: Dataset) -> bool:
    """True when the user sees every row of the dataset, not only their own."""
    return user.role == ADMIN or user.role in dataset.all_roles


def _queue(user, dataset: Dataset, format: str, filters: dict, **extra) -> ExportJob:  # noqa: A002
    now = utcnow()
    job = ExportJob(owner_id=user.id, dataset=dataset.name, format=format, filters=filters, status="queued",
                    created_at=now, enqueued_at=now, attempts=0,
                    expires_at=now + timedelta(days=current_app.config["EXPORT_RETENTION_DAYS"]), **extra)
    db.session.add(job)
    db.session.flush()
    events.export_requested(job)
    jobs.enqueue(TASK, job.id)
    return job


@transactional
def request_export(*, user, dataset: str, format: str, filters: dict | None = None) -> ExportJob:  # noqa: A002
    """Queue an export of a dataset; the file is made in the background."""
    ds = _dataset_for(user, dataset)
    return _queue(user, ds, format, _check_filters(ds, filters or {}))


@transactional
def request_report(*, user, title: str, dataset: str, format: str, filters: dict | None = None,  # noqa: A002
                   group_by: str | None = None, metrics: list[str] | None = None,
                   period: dict | None = None) -> ExportJob:
    """Queue a custom report (rows for a period, optionally grouped with metrics, and its charts)."""
    ds = _dataset_for(user, dataset)
    checked = _check_filters(ds, filters or {})
    spec = custom.check_spec(ds, group_by=group_by, metrics=metrics, period=period)
    return _queue(user, ds, format, checked, kind="report", title=title, spec=spec)


def list_reports(*, user) -> list[ExportJob]:
    """Custom reports, newest first: an operator's own, every one for an admin."""
    stmt = select(ExportJob).where(ExportJob.kind == "report").order_by(ExportJob.id.desc())
    if user.role != ADMIN:
        stmt = stmt.where(ExportJob.owner_id == user.id)
    return list(db.session.scalars(stmt))


def get_export(*, user, job_id: int) -> ExportJob:
    """Return a job its owner (or an admin) may see; 404 otherwise."""
    return ensure_owner_or_roles(user, db.session.get(ExportJob, job_id), ADMIN, owner="owner_id",
                                 missing=ExportNotFound)


def get_report(*, user, report_id: int) -> ExportJob:
    """Return a custom report its owner (or an admin) may see; 404 otherwise (also for plain exports)."""
    job = db.session.get(ExportJob, report_id)
    return ensure_owner_or_roles(user, job if job is not None and job.kind == "report" else None, ADMIN,
                                 owner="owner_id", missing=ReportNotFound)


def report_file(*, user, report_id: int) -> tuple[Path, str, str]:
    """Return (path, download name, content type) of a finished, unexpired custom report."""
    return export_file(user=user, job_id=get_report(user=user, report_id=report_id).id)


def export_file(*, user, job_id: int) -> tuple[Path, str, str]:
    """Return (path, download name, content type) of a finished, unexpired export."""
    job = get_export(user=user, job_id=job_id)
    if job.status != "done":
        raise ExportNotReady(f"The export is {job.status}, not ready for download.")
    path = files.export_path(job.file_name or "")
    if job.expires_at <= utcnow() or not path.exists():
        raise ExportExpired()
    content_type, ext = FORMATS[job.format]
    stamp = job.created_at.strftime("%Y%m%d")
    label = files.safe_name(job.title.lower())[:60] if job.kind == "report" and job.title else job.dataset
    return path, f"sangam-{label}-{stamp}-{job.id}.{ext}", content_type


def _owner(job: ExportJob):
    from app.auth import service as auth_service

    return auth_service.get_user(job.owner_id)


@transactional
def _claim(job_id: int) -> ExportJob | None:
    now = utcnow()
    if not transition(ExportJob, job_id, from_="queued", to="running", values={"started_at": now}):
        return None
    job = db.session.get(ExportJob, job_id)
    job.attempts = (job.attempts or 0) + 1
    return job


@transactional
def _finish(job_id: int, *, status: str, rows: int | None = None, file_name: str | None = None,
            error: str | None = None) -> str:
    transition(ExportJob, job_id, from_="running", to=status,
               values={"rows": rows, "file_name": file_name, "error": error, "finished_at": utcnow()})
    return status


def run_export(job_id: int) -> str:
    """Render a queued export to a file; a job another worker holds, or one already finished, is skipped."""
    job = _claim(job_id)
    if job is None:
        return "skipped"
    dataset = get_dataset(job.dataset)
    name = files.safe_name(f"export-{job.id}.{FORMATS[job.format][1]}")
    try:
        table = job_table(job, dataset, _owner(job))
        with files.export_path(name).open("wb") as out:
            count = render(job.format, title=table.title, columns=table.columns, rows=table.rows, out=out,
                           charts=table.charts)
    except Exception as exc:
        db.session.rollback()
        log.exception("export %s failed", job_id)
        files.remove(name)
        return _finish(job_id, status="failed", error=str(getattr(exc, "errors", None) or exc)[:2000])
    return _finish(job_id, status="done", rows=count, file_name=name)


def job_table(job, dataset: Dataset, owner) -> custom.Table:
    """The table an export job renders: the dataset's rows, or the custom report's table and charts."""
    return report_table(dataset, owner_id=owner.id, is_admin=sees_all(owner, dataset), filters=job.filters or {},
                        fmt=job.format, title=job.title, spec=job.spec if job.kind == "report" else None)


def report_table(dataset: Dataset, *, owner_id: int, is_admin: bool, filters: dict, fmt: str,
                 title: str | None = None, spec: dict | None = None) -> custom.Table:
    """A dataset's rows as a table; with a custom report ``spec`` grouped, with metrics and charts."""
    rows = dataset.rows(owner_id=owner_id, is_admin=is_admin, filters=custom.spec_filters(spec or {}, filters))
    if spec is None:
        return custom.Table(title or dataset.title, dataset.columns, rows)
    return custom.build_table(dataset, rows, title=title or dataset.title, spec=spec, fmt=fmt)


def requeue_stale_exports(*, queued_for: float, running_for: float) -> dict:
    """Send again jobs the broker lost; re-queue (or fail) jobs a dead worker left running."""
    now = utcnow()
    lost = list(db.session.execute(select(ExportJob.id, ExportJob.enqueued_at).where(
        ExportJob.status == "queued", ExportJob.enqueued_at < now - timedelta(seconds=queued_for))))
    stuck = list(db.session.execute(select(ExportJob.id, ExportJob.started_at, ExportJob.attempts).where(
        ExportJob.status == "running", ExportJob.started_at < now - timedelta(seconds=running_for))))
    db.session.rollback()
    resent = sum(_resend(job_id, seen, now) for job_id, seen in lost)
    outcomes = [_recover(job_id, started, attempts or 0, now) for job_id, started, attempts in stuck]
    return {"resent": resent, "requeued": outcomes.count("queued"), "failed": outcomes.count("failed")}


@transactional
def _resend(job_id: int, seen, now) -> int:
    """One sweeper takes the row (it must be unchanged since it was read), then enqueues it."""
    taken = db.session.execute(update(ExportJob).where(ExportJob.id == job_id, ExportJob.status == "queued",
                                                       ExportJob.enqueued_at == seen)
                               .values(enqueued_at=now)).rowcount == 1
    if taken:
        jobs.enqueue(TASK, job_id)
    return int(taken)


@transactional
def _recover(job_id: int, started, attempts: int, now) -> str:
    if attempts >= MAX_ATTEMPTS:
        error = (f"The export stopped {attempts} times without finishing (the worker running it was lost); "
                 "request it again, with narrower filters if it is large.")
        values = {"error": error, "finished_at": now}
        status = "failed"
    else:
        values, status = {"enqueued_at": now, "started_at": None}, "queued"
    taken = db.session.execute(update(ExportJob).where(ExportJob.id == job_id, ExportJob.status == "running",
                                                       ExportJob.started_at == started)
                               .values(status=status, **values)).rowcount == 1
    if taken and status == "queued":
        jobs.enqueue(TASK, job_id)
    return status if taken else "skipped"


def exports_per_day(first: date, last: date) -> dict:
    """Exports requested per local day (KPI)."""
    return per_local_day(ExportJob.created_at, first, last)


@transactional
def purge_expired_exports() -> int:
    """Delete expired export files and their jobs (housekeeping)."""
    expired = list(db.session.scalars(select(ExportJob).where(ExportJob.expires_at <= utcnow())))
    for job in expired:
        files.remove(job.file_name)
        db.session.delete(job)
    return len(expired)
