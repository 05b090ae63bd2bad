"""Short public codes (``SOM-7K3Q9X``) and signed tokens for QR codes and passes."""

from __future__ import annotations

import secrets

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.routing import BaseConverter

from app.core.errors import InvalidToken

# No 0/O, 1/I/L: codes are read aloud at gates and typed from paper.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def short_code(prefix: str, length: int = 6) -> str:
    """Return a human code such as ``SOM-7K3Q9X``."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(length))
    return f"{prefix.upper()}-{body}"


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"sangam.{purpose}")


def sign_token(purpose: str, data: dict) -> str:
    """Sign ``data`` for one purpose (a booking token cannot be used as a visitor pass)."""
    return _serializer(purpose).dumps(data)


def read_token(purpose: str, token: str, max_age_seconds: int | None = None) -> dict:
    """Verify a signed token; raise InvalidToken (400 invalid_token) when forged or expired."""
    try:
        return _serializer(purpose).loads(token, max_age=max_age_seconds)
    except SignatureExpired as exc:
        raise InvalidToken("The token has expired.") from exc
    except (BadSignature, TypeError, ValueError) as exc:
        raise InvalidToken("The token is not valid.") from exc


class CodeConverter(BaseConverter):
    """``<code:code>`` in a route: a public code (``SOM-7K3Q9X``), any case, so that ``/bookings/check-in``
    is never mistaken for a booking's code."""

    regex = r"[A-Za-z]{2,4}-[A-Za-z0-9]{6}"
