"""Temple references shared across domains without importing the temples domain.

The temples domain provides the ``temple_resolver`` hook; alerts, Socket.IO rooms and others call
``resolve_temple(ref)`` to turn a slug or an id into ``(id, slug)`` (None when unknown).
"""

from __future__ import annotations

from app.core import hooks


def resolve_temple(ref: int | str | None) -> tuple[int, str] | None:
    """Return (id, slug) of the temple named by an id or a slug, or None."""
    resolver = hooks.get("temple_resolver")
    if ref is None or resolver is None:
        return None
    if isinstance(ref, str) and ref.isdigit():
        ref = int(ref)
    return resolver(ref)
