"""One JSON error shape for every error, and the exceptions services raise.

``{"code": 409, "status": "Conflict", "error": "slot_full", "message": "...", "errors": {...}}``
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from flask import Flask, g, jsonify, request
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException

log = logging.getLogger("sangam.errors")

DEFAULT_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    503: "service_unavailable",
}

# Every machine code the API answers with: code -> (HTTP status, what it means). Filled by the
# generic codes above and by every APIError subclass (each domain's errors.py) as it is defined;
# the OpenAPI document's Error.error enum is this registry, and API.md's list agrees with it.
CODES: dict[str, tuple[int, str]] = {code: (status, HTTPStatus(status).phrase)
                                     for status, code in DEFAULT_CODES.items()}


class APIError(Exception):
    """A rule a request broke: carries its HTTP status and stable machine code.

    Subclass it (or one of the classes below) once per machine code, in the domain's errors.py:
    ``class SlotFull(Conflict): error = "slot_full"; message = "The slot is full."``. Raise sites
    pass only a message (and field errors), never a code.
    """

    status = 400
    error = "bad_request"
    message = "The request could not be processed."

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        known = CODES.get(cls.error)
        if known is not None and known[0] != cls.status:
            raise TypeError(f"machine code {cls.error!r} is already used with status {known[0]}")
        if known is None or cls.__dict__.get("error"):
            CODES[cls.error] = (cls.status, (cls.__doc__ or cls.message or "").strip().splitlines()[0])

    def __init__(self, message: str | None = None, *, errors: dict | None = None):
        super().__init__(message or self.message)
        self.message = message or self.message
        self.errors = errors


class BadRequest(APIError):
    status, error = 400, "bad_request"


class InvalidToken(APIError):
    """A signed token (QR code, pass) is forged, unknown or expired."""

    status, error, message = 400, "invalid_token", "The token is invalid or has expired."


class Unauthorized(APIError):
    status, error, message = 401, "unauthorized", "Authentication is required."


class TokenExpired(Unauthorized):
    """The access or refresh token has expired."""

    error, message = "token_expired", "The token has expired."


class TokenRevoked(Unauthorized):
    """The token was revoked (logout, rotation, password change, ended session)."""

    error, message = "token_revoked", "The token has been revoked."


class InvalidDeviceKey(Unauthorized):
    """The X-Device-Key is missing, unknown or revoked."""

    error, message = "invalid_device_key", "The device key is missing, unknown or revoked."


class Forbidden(APIError):
    status, error, message = 403, "forbidden", "You do not have permission to do this."


class NotFound(APIError):
    status, error, message = 404, "not_found", "The resource was not found."


class Conflict(APIError):
    status, error, message = 409, "conflict", "The request conflicts with the current state."


class InvalidTransition(Conflict):
    """The object is not in a state that allows this step (e.g. resolving an unacknowledged incident)."""

    error, message = "invalid_transition", "This step is not allowed in the current state."


class IdempotencyMismatch(Conflict):
    """The Idempotency-Key was already used with a different request."""

    error, message = "idempotency_mismatch", "This Idempotency-Key was already used for a different request."


class ValidationFailed(APIError):
    status, error, message = 422, "validation_error", "The input is not valid."

    def __init__(self, errors: dict, message: str | None = None):
        super().__init__(message, errors=errors)


class RateLimited(APIError):
    status, error, message = 429, "rate_limited", "Too many requests."


class ServiceUnavailable(APIError):
    status, error, message = 503, "service_unavailable", "A service Sangam needs is not available."


def error_response(status: int, error: str, message: str, errors: dict | None = None, headers=None):
    """Build the JSON error response every handler returns."""
    body = {
        "code": status,
        "status": HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error",
        "error": error,
        "message": message,
    }
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def flatten_webargs(messages: dict) -> dict:
    """Turn webargs' {location: {field: [..]}} into {field: [..]} (keeping 'location' for non-body)."""
    out: dict = {}
    for location, fields in (messages or {}).items():
        if not isinstance(fields, dict):
            out[location] = fields if isinstance(fields, list) else [str(fields)]
            continue
        for field, msgs in fields.items():
            out[field] = msgs
    return out


def handle_api_error(exc: APIError):
    """The JSON response of a raised (or constructed) APIError."""
    return error_response(exc.status, exc.error, exc.message, exc.errors)


def handle_http_exception(exc: HTTPException):
    status = exc.code or 500
    data = getattr(exc, "data", None) or {}
    errors = flatten_webargs(data.get("messages")) if data.get("messages") else None
    if status == 422:
        return error_response(422, "validation_error", "The input is not valid.", errors)
    message = data.get("message") or exc.description or HTTPStatus(status).phrase
    if status == 400 and errors and "json" in errors:
        message = "The request body is not valid JSON."
    if status == 429:
        message = f"Too many requests: {exc.description}." if exc.description else "Too many requests."
    headers = {k: v for k, v in (exc.get_headers() or []) if k.lower() not in {"content-type"}}
    return error_response(status, DEFAULT_CODES.get(status, "error"), message, errors, headers)


def handle_integrity_error(exc: IntegrityError):
    from app.extensions import db

    db.session.rollback()
    log.info("integrity error: %s", exc.orig)
    return error_response(409, "conflict", "The change conflicts with existing data.")


def handle_out_of_range(exc: Exception):
    """A number too large for the database (ids, pages): the client's mistake, not ours."""
    from app.extensions import db

    db.session.rollback()
    return error_response(422, "validation_error", "A number in the request is out of range.")


NUL_MESSAGE = "Text in the request may not contain NUL (0x00) characters."


def refuse_nul_characters():
    """No database stores U+0000 in text the same way (PostgreSQL refuses it): refuse it at the door, everywhere."""
    query = request.query_string
    in_body = request.is_json and b"\\u0000" in request.get_data(cache=True)
    if "\x00" in request.path or b"%00" in query or b"\x00" in query or in_body:
        return error_response(422, "validation_error", NUL_MESSAGE)
    return None


def handle_database_unavailable(exc: OperationalError):
    from app.extensions import db

    db.session.rollback()
    log.error("database unavailable: %s", exc.orig, extra={"request_id": g.get("request_id")})
    return error_response(503, "service_unavailable", "The database is not reachable.")


def handle_unexpected(exc: Exception):
    if isinstance(exc, HTTPException):
        return handle_http_exception(exc)
    from app.extensions import db

    db.session.rollback()
    log.exception("unhandled error", extra={"request_id": g.get("request_id")})
    return error_response(500, "internal_error", "An unexpected error occurred; it has been logged.")


def register_error_handlers(app: Flask) -> None:
    """Register the JSON handlers (after flask-smorest so ours win)."""
    app.before_request(refuse_nul_characters)
    app.register_error_handler(APIError, handle_api_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(DataError, handle_out_of_range)
    app.register_error_handler(OverflowError, handle_out_of_range)
    app.register_error_handler(Exception, handle_unexpected)
