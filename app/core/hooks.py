"""Extension points core defines and a domain provides, so core never imports a domain.

A domain names what it provides in its declaration (``hooks={"temple_resolver": "service:resolve_temple"}``);
``create_app`` installs it here. Known hooks:

- ``temple_resolver(ref) -> (id, slug) | None``: a temple named by id or slug (alerts, Socket.IO rooms);
- ``device_resolver(raw_key) -> device | None``: the active device owning a raw ``X-Device-Key``;
- ``token_principal(jwt_payload) -> (user | None, session_open)``: who a token names and whether its
  session is still open, in one query.
"""

from __future__ import annotations

from collections.abc import Callable

KNOWN = ("temple_resolver", "device_resolver", "token_principal")
_hooks: dict[str, Callable] = {}


def provide(name: str, function: Callable) -> None:
    """Install the function behind a hook (one provider per hook)."""
    if name not in KNOWN:
        raise ValueError(f"unknown hook {name!r}; core knows {', '.join(KNOWN)}")
    _hooks[name] = function


def get(name: str) -> Callable | None:
    """The function behind a hook, or None when no domain provides it."""
    return _hooks.get(name)
