"""Socket.IO: channels, rooms, snapshots and delivery of committed events."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Import the handlers (their namespace refuses connections otherwise) and subscribe delivery."""
    from app.core.events import subscribe
    from app.realtime import handlers  # noqa: F401
    from app.realtime.delivery import deliver

    subscribe(deliver, phase="after_commit")
