"""Celery entry point: ``celery -A celery_worker.celery worker`` / ``beat``.

The Flask app is built once per worker process; tasks run inside its app context.
"""

from celery.signals import worker_process_init

from app import create_app
from app.extensions import db
from tasks.schedule import build_schedule

flask_app = create_app()
celery = flask_app.extensions["celery"]
celery.conf.beat_schedule = build_schedule()


@worker_process_init.connect
def _fresh_pool(**_kwargs):
    """Never share database connections across a fork."""
    with flask_app.app_context():
        db.engine.dispose(close=False)
