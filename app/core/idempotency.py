"""``Idempotency-Key`` for every create: a retried request gets the first response.

``@idempotent`` goes on a creating endpoint, under its auth decorator (the key is scoped to the
caller). With a key, the whole request is one unit of work that first claims the key
(``idempotency_keys``, unique per caller and key), then runs the endpoint, then stores its
response in the same transaction:

- the same key and the same request again → the stored response (status and body), also when the
  retries run concurrently: the database makes the second claim wait for the first transaction,
  then fail on the unique key, and the retry reads the committed response;
- the same key with another method, path or body → 409 ``idempotency_mismatch``;
- a response of 2xx, 404 or 409 is kept; any other outcome (validation, auth, 5xx) keeps nothing,
  so the client may fix the request and retry with the same key.

Keys are at most ``MAX_KEY_LENGTH`` characters (422 beyond) and kept for ``RETENTION``.
"""

from __future__ import annotations

import functools
import hashlib
from datetime import datetime, timedelta

from flask import Response, request
from sqlalchemy import Integer, String, Text, UniqueConstraint, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from app.core.context import current_actor
from app.core.errors import APIError, IdempotencyMismatch, ValidationFailed, handle_api_error
from app.core.events import unit_of_work
from app.core.timeutil import utcnow
from app.core.types import UTCDateTime
from app.extensions import db

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 80
RETENTION = timedelta(hours=24)
KEPT = {404, 409}


class IdempotencyRecord(db.Model):
    """A key a caller used, the request it came with, and the response it got."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("scope", "key", name="uq_idempotency_keys_scope_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(80))
    key: Mapped[str] = mapped_column(String(MAX_KEY_LENGTH))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


def request_key() -> str | None:
    """The request's Idempotency-Key (None when absent); 422 when it is too long."""
    key = (request.headers.get(HEADER) or "").strip()
    if len(key) > MAX_KEY_LENGTH:
        raise ValidationFailed({HEADER: [f"At most {MAX_KEY_LENGTH} characters."]})
    return key or None


def _scope() -> str:
    actor = current_actor()
    return f"{actor.kind}:{actor.id if actor.id is not None else request.remote_addr}"


def _fingerprint() -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def _replay(scope: str, key: str, fingerprint: str) -> Response:
    record = db.session.scalar(select(IdempotencyRecord).where(IdempotencyRecord.scope == scope,
                                                               IdempotencyRecord.key == key))
    if record is None or record.fingerprint != fingerprint or record.status_code is None:
        return handle_api_error(IdempotencyMismatch())
    response = Response(record.body, status=record.status_code, mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _claim(scope: str, key: str, fingerprint: str) -> IdempotencyRecord | None:
    """Insert the claim in a savepoint; None when the key is already taken (committed)."""
    record = IdempotencyRecord(scope=scope, key=key, fingerprint=fingerprint, created_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(record)
    except IntegrityError:
        return None
    return record


def _run(view, args, kwargs) -> Response:
    """Run the endpoint in a savepoint; a domain error rolls its changes back and becomes its response."""
    try:
        with db.session.begin_nested():
            return view(*args, **kwargs)
    except APIError as exc:
        return handle_api_error(exc)


class _Discard(Exception):
    """Roll the unit of work back but still answer with ``response``."""

    def __init__(self, response: Response):
        self.response = response


def _respond_once(view, args, kwargs, key: str) -> Response:
    scope, fingerprint = _scope(), _fingerprint()
    try:
        with unit_of_work():
            record = _claim(scope, key, fingerprint)
            if record is None:
                raise _Discard(_replay(scope, key, fingerprint))
            response = _run(view, args, kwargs)
            if not (200 <= response.status_code < 300 or response.status_code in KEPT):
                raise _Discard(response)
            record.status_code, record.body = response.status_code, response.get_data(as_text=True)
    except _Discard as outcome:
        return outcome.response
    return response


def idempotent(view):
    """Honour ``Idempotency-Key`` on a creating endpoint (documented in the OpenAPI operation)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        key = request_key()
        if key is None:
            return view(*args, **kwargs)
        return _respond_once(view, args, kwargs, key)

    doc = dict(getattr(wrapper, "_apidoc", {}))
    manual = dict(doc.get("manual_doc", {}))
    manual["parameters"] = [*manual.get("parameters", []), {
        "in": "header", "name": HEADER, "required": False,
        "schema": {"type": "string", "maxLength": MAX_KEY_LENGTH},
        "description": "Retry safely: the same key and body return the first response; another body with the "
                       "same key is 409 idempotency_mismatch."}]
    doc["manual_doc"] = manual
    wrapper._apidoc = doc
    wrapper.idempotent = True
    return wrapper


def purge_old_keys() -> int:
    """Forget keys older than the retention period (housekeeping)."""
    with unit_of_work():
        return db.session.execute(delete(IdempotencyRecord).where(
            IdempotencyRecord.created_at < utcnow() - RETENTION)).rowcount or 0
