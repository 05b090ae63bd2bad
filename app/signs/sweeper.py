"""The in-process sweeper: every SIGNS_SWEEP_SECONDS, each web process serving signs runs the sweep.

Why a background task in the web process rather than only Celery beat: an override must revert
within a few seconds of its ``expires_at`` and a silent sign must go offline on time in every mode,
including the embedded one that runs no beat; several processes sweeping at once is safe (every
change is claimed by a conditional UPDATE). Beat also runs the sweep (tasks.signs.sweep) as a
backstop for when no web process holds a sign. ``SIGNS_SWEEPER=0`` turns the task off.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask

from app.extensions import db, socketio

log = logging.getLogger("sangam.signs")
_lock = threading.Lock()
_running: dict[int, tuple[threading.Event, object]] = {}  # id(app) -> (stop flag, task)


def ensure_running(app: Flask) -> bool:
    """Start this process's sweeper for ``app`` once (when enabled); True when it was started now."""
    if not app.config["SIGNS_SWEEPER"]:
        return False
    with _lock:
        if id(app) in _running:
            return False
        stop = threading.Event()
        _running[id(app)] = (stop, socketio.start_background_task(_loop, app, stop))
    return True


def stop(app: Flask, timeout: float = 10) -> None:
    """Stop ``app``'s sweeper and wait for it (tests; a process otherwise sweeps until it exits)."""
    with _lock:
        entry = _running.pop(id(app), None)
    if entry:
        entry[0].set()
        entry[1].join(timeout)


def _loop(app: Flask, stopped: threading.Event) -> None:
    while not stopped.wait(app.config["SIGNS_SWEEP_SECONDS"]):
        sweep_once(app)


def sweep_once(app: Flask) -> dict | None:
    """Run the sweep in its own app context; a failure is logged and the loop goes on."""
    from app.signs import service

    with app.app_context():
        try:
            return service.sweep()
        except Exception:
            log.exception("signs sweep failed")
            return None
        finally:
            db.session.remove()
