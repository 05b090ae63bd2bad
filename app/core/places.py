"""Temple references shared across domains without importing the temples domain.

The temples domain installs a resolver at start-up; alerts, realtime rooms and others use
``resolve_temple(ref)`` to turn a slug or an id into ``(id, slug)`` (None when unknown).
"""

from __future__ import annotations

from collections.abc import Callable

_resolver: Callable[[int | str], tuple[int, str] | None] | None = None


def set_temple_resolver(resolver: Callable[[int | str], tuple[int, str] | None]) -> None:
    global _resolver
    _resolver = resolver


def resolve_temple(ref: int | str | None) -> tuple[int, str] | None:
    """Return (id, slug) of the temple named by an id or a slug, or None."""
    if ref is None or _resolver is None:
        return None
    if isinstance(ref, str) and ref.isdigit():
        ref = int(ref)
    return _resolver(ref)
