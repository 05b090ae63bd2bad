"""Celery wiring: queues by task route, the beat schedule in city time, and the housekeeping job."""

from datetime import timedelta
from pathlib import Path

import pytest
from freezegun import freeze_time

from app.auth.models import AuthSession
from app.core.timeutil import utcnow
from app.extensions import celery, db
from app.reports.models import ExportJob
from tasks.housekeeping import run_housekeeping
from tasks.schedule import build_schedule
from tests.conftest import bearer


@pytest.mark.parametrize("task, queue", [
    ("tasks.notifications.deliver", "notifications"),
    ("tasks.exports.run", "exports"),
    ("tasks.exports.run_due_schedules", "exports"),
    ("tasks.housekeeping.run", "default"),
    ("tasks.parking.send_daily_reminders", "default"),
])
def test_tasks_are_routed_to_their_queue(task, queue):
    assert celery.amqp.router.route({}, task)["queue"].name == queue


def test_every_beat_job_names_a_registered_task_in_city_time():
    assert celery.conf.timezone == "Asia/Kolkata"
    BEAT_SCHEDULE = build_schedule()
    assert BEAT_SCHEDULE["housekeeping"]["task"] == "tasks.housekeeping.run"
    for name, job in BEAT_SCHEDULE.items():
        assert job["task"] in celery.tasks, name
        assert celery.tasks[job["task"]].acks_late, name  # redelivered if a worker dies mid-task


def test_embedded_mode_runs_tasks_eagerly():
    assert celery.conf.task_always_eager
    assert run_housekeeping.delay().get() == {"sessions_purged": 0, "idempotency_keys_purged": 0,
                                               "exports_purged": 0}


def test_housekeeping_purges_expired_exports_and_old_sessions(app, client, make_user):
    admin = make_user("admin")
    job = client.post("/api/v1/reports/exports", json={"dataset": "audit", "format": "csv"},
                      headers=bearer(admin)).get_json()
    path = Path(app.config["EXPORT_DIR"]) / f"export-{job['id']}.csv"
    assert path.exists()
    now = utcnow()
    db.session.add_all([AuthSession(user_id=admin.id, created_at=now, last_used_at=now, current_jti=jti,
                                    expires_at=now + timedelta(days=days))
                        for jti, days in (("short", 1), ("long", 30))])
    db.session.commit()
    with freeze_time(utcnow() + timedelta(days=8)):  # EXPORT_RETENTION_DAYS is 7
        assert run_housekeeping.delay().get() == {"sessions_purged": 1, "idempotency_keys_purged": 0,
                                                   "exports_purged": 1}
        assert run_housekeeping.delay().get() == {"sessions_purged": 0, "idempotency_keys_purged": 0,
                                               "exports_purged": 0}  # idempotent
    assert not path.exists() and db.session.get(ExportJob, job["id"]) is None
    left = {t.current_jti for t in db.session.query(AuthSession).all()}
    assert "short" not in left and "long" in left  # the export's own login session (30 days) stays too
