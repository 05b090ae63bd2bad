"""Cached service reads, invalidated by the domain events that change their data.

``@cached_read("parking.admin_stats", timeout=300, invalidated_by=("parking.",))`` caches a
read function's plain-dict result per argument tuple. After any committed event whose name
starts with one of ``invalidated_by``, the namespace's version is bumped, so every key of
that namespace is abandoned at once: a cached figure is never stale after a write.
If the cache backend is down, reads compute the value (a miss), never fail.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable

from cachelib.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from app.core.events import Event, subscribe
from app.extensions import cache

log = logging.getLogger("sangam.cache")

_namespaces: dict[str, tuple[str, ...]] = {}
RETRY_AFTER_SECONDS = 5.0  # after a failure, the cache is skipped this long: a hung Redis costs one timeout
_down_until = 0.0


def _version_key(namespace: str) -> str:
    return f"ver:{namespace}"


def _safe(op: Callable, default=None):
    global _down_until
    if time.monotonic() < _down_until:
        return default
    try:
        return op()
    except (RedisConnectionError, RedisTimeoutError, OSError) as exc:  # down or hung: a miss, and a pause
        _down_until = time.monotonic() + RETRY_AFTER_SECONDS
        log.warning("cache unavailable for %.0f s: %s", RETRY_AFTER_SECONDS, exc)
        return default
    except Exception as exc:  # anything else (a value that cannot be stored): a miss
        log.warning("cache error: %s", exc)
        return default


def _key(namespace: str, args: tuple, kwargs: dict) -> str:
    version = _safe(lambda: cache.get(_version_key(namespace))) or 0
    parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in sorted(kwargs.items())]
    return f"{namespace}:v{version}:" + "|".join(parts)


def cached_read(namespace: str, *, timeout: int, invalidated_by: tuple[str, ...] = ()) -> Callable:
    """Cache a read's result (a plain, JSON-like value) keyed by its arguments (ids, not ORM objects)."""
    add_invalidation(namespace, *invalidated_by)

    def decorator(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            key = _key(namespace, args, kwargs)
            hit = _safe(lambda: cache.get(key))
            if hit is not None:
                return hit
            value = fn(*args, **kwargs)
            _safe(lambda: cache.set(key, value, timeout=timeout))
            return value

        wrapper.uncached = fn
        return wrapper

    return decorator


def add_invalidation(namespace: str, *prefixes: str) -> None:
    """Drop ``namespace`` after any committed event whose name starts with one of ``prefixes``."""
    known = _namespaces.get(namespace, ())
    _namespaces[namespace] = known + tuple(p for p in prefixes if p not in known)
    _namespaces_for.cache_clear()


def invalidate(*namespaces: str) -> None:
    """Abandon every cached value of each of ``namespaces`` (with Redis: one round trip for them all)."""
    keys = [_version_key(namespace) for namespace in namespaces]
    if not keys:
        return
    backend = cache.cache
    if isinstance(backend, RedisCache):  # INCR, no expiry: concurrent writers never lose a bump

        def bump():
            pipe = backend._write_client.pipeline(transaction=False)
            for key in keys:
                pipe.incr(f"{backend._get_prefix()}{key}")
            pipe.execute()

        _safe(bump)
    else:  # in-process (embedded): one process, so get and set cannot interleave with another's
        for key in keys:
            _safe(lambda key=key: cache.set(key, (cache.get(key) or 0) + 1, timeout=0))


@functools.cache
def _namespaces_for(event_name: str) -> tuple[str, ...]:
    return tuple(namespace for namespace, prefixes in _namespaces.items() if event_name.startswith(prefixes))


def _on_event(evt: Event) -> None:
    invalidate(*_namespaces_for(evt.name))


def init_cache_invalidation() -> None:
    """Subscribe the invalidator to committed events (called by create_app)."""
    subscribe(_on_event, phase="after_commit")
