"""Who is acting, for which request: set by the HTTP layer and tasks, read by the audit log.

Services never read ``request``; the audit subscriber reads this context instead.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """The author of a change: a user, a device, or the system (beat jobs, CLI)."""

    kind: str  # "user" | "device" | "system" | "anonymous"
    id: int | None = None
    label: str | None = None


@dataclass(frozen=True)
class RequestInfo:
    request_id: str | None = None
    ip: str | None = None


SYSTEM = Actor("system", None, "system")
ANONYMOUS = Actor("anonymous", None, None)

_actor: ContextVar[Actor] = ContextVar("sangam_actor", default=SYSTEM)
_request: ContextVar[RequestInfo] = ContextVar("sangam_request", default=RequestInfo())  # noqa: B039 - frozen, immutable


def set_actor(actor: Actor) -> None:
    _actor.set(actor)


def current_actor() -> Actor:
    return _actor.get()


def set_request_info(info: RequestInfo) -> None:
    _request.set(info)


def current_request_info() -> RequestInfo:
    return _request.get()


def reset() -> None:
    """Forget the actor and request (end of a request or task)."""
    _actor.set(SYSTEM)
    _request.set(RequestInfo())
