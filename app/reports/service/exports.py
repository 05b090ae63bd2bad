"""Export jobs (CR-4, VP-7): request, run in the background, download, expire."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from app.core import files
from app.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.core.events import Event, publish, subscribe, transactional
from app.core.security import ADMIN
from app.core.timeutil import utcnow
from app.extensions import db
from app.reports.datasets import Dataset, all_datasets, get_dataset
from app.reports.models import ExportJob
from app.reports.renderers import FORMATS, render

log = logging.getLogger("sangam.reports")


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
    return user.role == ADMIN or user.role in dataset.all_roles


@transactional
def request_export(*, user, dataset: str, format: str, filters: dict | None = None) -> ExportJob:  # noqa: A002
    """Queue an export of a dataset; the file is made in the background."""
    ds = _dataset_for(user, dataset)
    now = utcnow()
    job = ExportJob(owner_id=user.id, dataset=ds.name, format=format, filters=_check_filters(ds, filters or {}),
                    status="queued", created_at=now,
                    expires_at=now + timedelta(days=current_app.config["EXPORT_RETENTION_DAYS"]))
    db.session.add(job)
    db.session.flush()
    publish(Event(name="reports.export_requested", payload={"id": job.id}, entity="export", entity_id=job.id,
                  action="create", changes={"dataset": [None, ds.name], "format": [None, format]}))
    return job


def _enqueue(evt: Event) -> None:
    from tasks.exports import run_export_task

    run_export_task.delay(evt.payload["id"])


def init_exports() -> None:
    subscribe(_enqueue, phase="after_commit", prefix="reports.export_requested")


def get_export(*, user, job_id: int) -> ExportJob:
    """Return a job its owner (or an admin) may see; 404 otherwise."""
    job = db.session.get(ExportJob, job_id)
    if job is None or (job.owner_id != user.id and user.role != ADMIN):
        raise NotFound("No export with this id.")
    return job


def export_file(*, user, job_id: int) -> tuple[Path, str, str]:
    """Return (path, download name, content type) of a finished, unexpired export."""
    job = get_export(user=user, job_id=job_id)
    if job.status != "done":
        raise Conflict(f"The export is {job.status}, not ready for download.", error="export_not_ready")
    path = files.export_path(job.file_name or "")
    if job.expires_at <= utcnow() or not path.exists():
        raise NotFound("The export has expired.", error="export_expired")
    content_type, ext = FORMATS[job.format]
    stamp = job.created_at.strftime("%Y%m%d")
    return path, f"sangam-{job.dataset}-{stamp}-{job.id}.{ext}", content_type


def _owner(job: ExportJob):
    from app.auth import service as auth_service

    return auth_service.get_user(job.owner_id)


def run_export(job_id: int) -> str:
    """Render a queued export to a file (idempotent: a finished job is left alone)."""
    job = db.session.get(ExportJob, job_id)
    if job is None or job.status in ("done", "failed"):
        return "skipped"
    job.status, job.started_at = "running", utcnow()
    db.session.commit()
    dataset = get_dataset(job.dataset)
    name = files.safe_name(f"export-{job.id}.{FORMATS[job.format][1]}")
    try:
        owner = _owner(job)
        rows = dataset.rows(owner_id=owner.id, is_admin=sees_all(owner, dataset), filters=job.filters or {})
        with files.export_path(name).open("wb") as out:
            job.rows = render(job.format, title=dataset.title, columns=dataset.columns, rows=rows, out=out)
        job.status, job.file_name = "done", name
    except Exception as exc:
        db.session.rollback()
        job = db.session.get(ExportJob, job_id)
        log.exception("export %s failed", job_id)
        job.status, job.error = "failed", str(getattr(exc, "errors", None) or exc)[:2000]
        files.remove(name)
    job.finished_at = utcnow()
    db.session.commit()
    return job.status


@transactional
def purge_expired_exports() -> int:
    """Delete expired export files and their jobs (housekeeping)."""
    expired = list(db.session.scalars(select(ExportJob).where(ExportJob.expires_at <= utcnow())))
    for job in expired:
        files.remove(job.file_name)
        db.session.delete(job)
    return len(expired)
