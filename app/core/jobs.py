"""Background work, sent to Celery only after the transaction that asked for it commits.

``enqueue("tasks.exports.run", job.id)`` inside a service: the row the job works on is the source
of truth (an outbox); the message is sent after commit, by task name, so no module of ``app``
imports ``tasks``. With a real broker the send happens on the background sender thread, so a hung
Redis never holds a request; if the broker is down the send is logged and dropped, the row stays
``queued`` and the outbox sweeper sends it again once the broker is back. In eager mode (embedded,
tests) the task runs inline.
"""

from __future__ import annotations

import logging

from app.core import background
from app.core.events import Event, publish, subscribe

log = logging.getLogger("sangam.jobs")
EVENT = "jobs.enqueue"


def enqueue(task: str, *args) -> None:
    """Ask for ``task(*args)`` to run in a worker once the current transaction commits."""
    publish(Event(name=EVENT, payload={"task": task, "args": list(args)}, audit=False))


def send_now(task: str, *args) -> bool:
    """Send a task message at once (eager mode runs it inline); False when the broker refused it."""
    from app.extensions import celery

    try:
        celery.tasks[task].apply_async(args=args, retry=False)
        return True
    except Exception as exc:  # broker down or hung: the outbox row is resent later
        log.warning("could not send %s%s: %s", task, tuple(args), exc)
        return False


def _send(evt: Event) -> None:
    from app.extensions import celery

    if celery.conf.task_always_eager:
        send_now(evt.payload["task"], *evt.payload["args"])
    else:
        background.submit(send_now, evt.payload["task"], *evt.payload["args"])


def init_jobs() -> None:
    """Subscribe the sender to committed ``jobs.enqueue`` events (called by create_app)."""
    subscribe(_send, phase="after_commit", prefix=EVENT)
