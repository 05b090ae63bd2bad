"""Send-and-forget work off the request thread: broker messages and Socket.IO emits.

A request that has committed must not wait on Redis: when the broker or the message queue hangs,
``submit`` hands the send to one daemon thread per process (started lazily, so it is born after a
fork) and returns at once. Order is kept (one thread, FIFO). Nothing is lost that matters: a job's
row is its outbox (the sweeper sends it again), and a live event's truth is the REST resource. When
the queue is full (Redis hung for a long time) new sends are dropped and counted in ``/metrics``.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Callable

from prometheus_client import Counter

log = logging.getLogger("sangam.background")
DROPPED = Counter("sangam_background_sends_dropped_total", "Background sends dropped while the queue was full")
MAX_WAITING = 10_000

_queue: queue.Queue | None = None
_owner_pid: int | None = None
_lock = threading.Lock()


def _drain(work: queue.Queue) -> None:
    while True:
        fn, args = work.get()
        try:
            fn(*args)
        except Exception:  # a failed send is the sender's business (it logs); the thread goes on
            log.exception("background send failed")
        finally:
            work.task_done()


def _work_queue() -> queue.Queue:
    global _queue, _owner_pid
    with _lock:
        if _queue is None or _owner_pid != os.getpid():
            _queue, _owner_pid = queue.Queue(maxsize=MAX_WAITING), os.getpid()
            threading.Thread(target=_drain, args=(_queue,), name="sangam-sender", daemon=True).start()
        return _queue


def submit(fn: Callable, *args) -> None:
    """Run ``fn(*args)`` soon on the sender thread; never block the caller."""
    try:
        _work_queue().put_nowait((fn, args))
    except queue.Full:
        DROPPED.inc()
        log.error("background queue full: dropped %s", getattr(fn, "__name__", fn))


def wait_idle(timeout: float = 5.0) -> bool:
    """Wait until every submitted send has run (tests, shutdown); False on timeout."""
    work = _queue
    if work is None:
        return True
    done = threading.Event()
    threading.Thread(target=lambda: (work.join(), done.set()), daemon=True).start()
    return done.wait(timeout)
