"""Per-channel snapshot providers: a new subscriber receives the current state at once."""

from __future__ import annotations

from collections.abc import Callable

# channel -> provider(scope) -> payload dict (or None when there is nothing to send)
_providers: dict[str, Callable[[dict], dict | None]] = {}


def register_snapshot(channel: str, provider: Callable[[dict], dict | None]) -> None:
    """Let a domain provide the state a new subscriber of ``channel`` receives."""
    _providers[channel] = provider


def snapshot_for(channel: str, scope: dict) -> dict | None:
    provider = _providers.get(channel)
    return provider(scope) if provider else None
