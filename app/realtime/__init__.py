"""Socket.IO: the channels domains declare, their rooms, and delivery of committed events."""

from __future__ import annotations


def init_realtime() -> None:
    """Import the handlers (their namespace refuses connections otherwise) and subscribe delivery."""
    from app.core.events import subscribe
    from app.realtime import handlers  # noqa: F401
    from app.realtime.delivery import deliver

    subscribe(deliver, phase="after_commit")
