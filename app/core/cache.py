"""Cached service reads, invalidated by the domain events that change their data.

``@cached_read("parking.admin_stats", timeout=300, invalidated_by=("parking.",))`` caches a
read function's plain-dict result per argument tuple. After any committed event whose name
starts with one of ``invalidated_by``, the namespace's version is bumped, so every key of
that namespace is abandoned at once: a cached figure is never stale after a write.
If the cache backend is down, reads compute the value (a miss), never fail.

``@cached_response("temples.slots_page", timeout=60, invalidated_by=("temples.",))`` on a public GET
view keeps the view's final answer (status, body bytes, Content-Type, ETag, X-Pagination) per path and
normalised query string, under the same versioned namespaces: a hit runs no parsing, no query, no
dump and no JSON encoding. See ``cached_response`` for what is stored and for how long.
"""

from __future__ import annotations

import functools
import logging
import secrets
import time
from collections.abc import Callable
from datetime import datetime
from urllib.parse import urlencode

from cachelib.redis import RedisCache
from flask import current_app, g, has_app_context, has_request_context, make_response, request
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from app.core import context
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
    if has_app_context():
        for namespace in namespaces:
            _memory()[1].pop(namespace, None)  # this process sees its own writes at once
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


# --- response cache for public GETs --------------------------------------------------------------

KEPT_HEADERS = ("Content-Type", "ETag", "X-Pagination")  # what a stored answer keeps; hooks add the rest
LOCAL_ENTRIES = 512  # answers kept in this process (per worker), oldest dropped first
VERSION_MEMO_SECONDS = 0.0  # > 0: a namespace's version is asked of Redis at most this often per process


def _memory() -> tuple[dict, dict]:
    """This app's copies: key -> (expires_at, status, headers, body) (the key holds the version), and
    namespace -> (asked again after, version). Per app, so two apps in one process never share answers."""
    memory = current_app.extensions.get("sangam.responses")
    if memory is None:
        memory = current_app.extensions["sangam.responses"] = ({}, {})
    return memory


def response_expires_by(when: datetime) -> None:
    """Say that the answer being computed changes by itself at ``when`` (a slot starts, the day ends).

    A cached response holding it is not served after that instant. Outside a request, nothing happens.
    """
    if has_request_context():
        at = when.timestamp()
        known = g.get("_response_expires_at")
        g._response_expires_at = at if known is None else min(known, at)


def _current_version(namespace: str) -> int | None:
    """The namespace's version, first set to a random base: a version number is never reused after Redis
    lost its keys (restart, flush), so an answer kept in this process can never match a later version.
    None when the cache backend is down (then nothing is served from or kept in memory)."""
    key = _version_key(namespace)
    version = _safe(lambda: cache.get(key))
    if version is None:
        _safe(lambda: cache.add(key, secrets.randbelow(2**48) + 1, timeout=0))
        version = _safe(lambda: cache.get(key))
    return version


def _response_version(namespace: str) -> int | None:
    if not VERSION_MEMO_SECONDS:
        return _current_version(namespace)
    at = time.monotonic()
    versions = _memory()[1]
    memo = versions.get(namespace)
    if memo is not None and memo[0] > at:
        return memo[1]
    version = _current_version(namespace)
    if version is not None:
        versions[namespace] = (at + VERSION_MEMO_SECONDS, version)
    return version


def _response_key(namespace: str) -> str | None:
    version = _response_version(namespace)
    if version is None:
        return None
    query = urlencode(sorted(request.args.items(multi=True)))
    return f"resp:{namespace}:v{version}:{request.path}?{query}"


def _storable(response) -> bool:
    """Only a plain public 200: no cookie set, no caller identified while computing it."""
    return (response.status_code == 200 and not response.direct_passthrough and "Set-Cookie" not in response.headers
            and context.current_actor() == context.ANONYMOUS and g.get("current_user") is None)


def cached_response(namespace: str, *, timeout: int, invalidated_by: tuple[str, ...] = ()) -> Callable:
    """Serve a public GET view's stored answer; compute and store it on a miss.

    Put it just under ``@blp.route`` of a view whose answer depends only on its path and query string
    (never on the caller: an Authorization header is neither read nor stored, and an answer computed
    while a user or device was identified is not stored). Stored: status 200 answers only, as their
    body bytes with Content-Type, ETag and X-Pagination; the after-request hooks still add the request
    id, security, CORS and rate-limit headers per request, and the limiter still counts the request.
    Freshness: the namespace's version (one Redis GET per request, the same INCR ``@cached_read`` uses)
    is part of the key, so after a committed event matching ``invalidated_by`` the next read, in any
    process, computes afresh. An answer also expires after ``timeout`` seconds, or earlier at the
    instant the view declared with ``response_expires_by``. Copies live in this process (at most
    ``LOCAL_ENTRIES``) and in Redis (shared by the workers). A conditional request (If-None-Match,
    If-Modified-Since) and any method but GET run the view.
    """
    add_invalidation(namespace, *invalidated_by)

    def decorator(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            if request.method != "GET" or "If-None-Match" in request.headers or "If-Modified-Since" in request.headers:
                return fn(*args, **kwargs)
            key = _response_key(namespace)
            if key is None:  # the cache backend is down: answer as if there were no cache
                return fn(*args, **kwargs)
            now = time.time()
            local = _memory()[0]
            entry = local.get(key)
            if entry is None or entry[0] <= now:
                entry = _safe(lambda: cache.get(key))
                if entry is not None and entry[0] > now:
                    _remember(local, key, entry)
            if entry is not None and entry[0] > now:
                _expires_at, status, headers, body = entry
                return current_app.response_class(body, status=status, headers=list(headers))
            g._response_expires_at = None
            response = make_response(fn(*args, **kwargs))
            if _storable(response):
                expires_at = min(now + timeout, g.get("_response_expires_at") or now + timeout)
                if expires_at > now:
                    headers = tuple((h, response.headers[h]) for h in KEPT_HEADERS if h in response.headers)
                    entry = (expires_at, response.status_code, headers, response.get_data())
                    _remember(local, key, entry)
                    _safe(lambda: cache.set(key, entry, timeout=max(1, int(expires_at - now))))
            return response

        wrapper.uncached = fn
        return wrapper

    return decorator


def _remember(_local: dict, key: str, entry: tuple) -> None:
    while len(_local) >= LOCAL_ENTRIES:
        try:
            del _local[next(iter(_local))]
        except (KeyError, StopIteration, RuntimeError):  # another thread dropped it first
            break
    _local[key] = entry


def _on_event(evt: Event) -> None:
    invalidate(*_namespaces_for(evt.name))


def init_cache_invalidation() -> None:
    """Subscribe the invalidator to committed events (called by create_app)."""
    subscribe(_on_event, phase="after_commit")
