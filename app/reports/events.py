"""Reports events: export jobs and schedules, audited."""

from __future__ import annotations

from app.core.events import Event, publish


def export_requested(job) -> None:
    publish(Event(name="reports.export_requested", payload={"id": job.id}, entity="export", entity_id=job.id,
                  action="create", changes={"dataset": [None, job.dataset], "format": [None, job.format]}))


def schedule_created(schedule) -> None:
    publish(Event(name="reports.schedule_created", payload={"id": schedule.id}, entity="report_schedule",
                  entity_id=schedule.id, action="create",
                  changes={"kind": [None, schedule.kind], "cron": [None, schedule.cron]}))


def schedule_deleted(schedule_id: int) -> None:
    publish(Event(name="reports.schedule_deleted", payload={"id": schedule_id}, entity="report_schedule",
                  entity_id=schedule_id, action="delete"))
