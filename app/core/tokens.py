"""Flask-JWT-Extended wiring: lifetimes, JSON token errors, and the auth domain's hooks.

Who a token names, and whether its session is still open, is the auth domain's business: it provides
the ``token_principal(payload) -> (user, open)`` hook, asked once per request (one query) and shared by
the revocation check and the user lookup.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, has_request_context, request

from app.core import hooks
from app.core.errors import TokenExpired, TokenRevoked, Unauthorized, handle_api_error
from app.extensions import jwt


class AccountInactive(Unauthorized):
    """The token's account is unknown or deactivated."""

    error, message = "account_inactive", "The account is unknown or deactivated."


def init_jwt(app: Flask) -> None:
    """Configure tokens (lifetimes, header-only) and register the JWT callbacks."""
    app.config["JWT_ACCESS_TOKEN_EXPIRES"] = timedelta(minutes=app.config["JWT_ACCESS_TOKEN_EXPIRES_MINUTES"])
    app.config["JWT_REFRESH_TOKEN_EXPIRES"] = timedelta(days=app.config["JWT_REFRESH_TOKEN_EXPIRES_DAYS"])
    app.config["JWT_TOKEN_LOCATION"] = ["headers"]
    jwt.init_app(app)


def _unauthorized(message: str):
    return handle_api_error(Unauthorized(message))


@jwt.user_identity_loader
def _identity(user) -> str:
    return str(getattr(user, "id", user))


def principal(payload: dict) -> tuple[object | None, bool]:
    """(user, session open?) of a decoded token, asked of the auth domain once per request."""
    cached = getattr(request, "_sangam_principal", None) if has_request_context() else None
    if cached is not None and cached[0] == payload.get("jti"):
        return cached[1]
    provider = hooks.get("token_principal")
    result = provider(payload) if provider else (None, False)
    if has_request_context():
        request._sangam_principal = (payload.get("jti"), result)
    return result


def token_user(payload: dict):
    """The active user a token names, or None."""
    user = principal(payload)[0]
    return user if user is not None and user.is_active else None


def token_revoked(payload: dict) -> bool:
    """True when the token's session has ended (a deactivated user is refused as ``account_inactive`` instead)."""
    user, open_ = principal(payload)
    return not open_ and not (user is not None and not user.is_active)


@jwt.user_lookup_loader
def _lookup(_header: dict, payload: dict):
    return token_user(payload)


@jwt.token_in_blocklist_loader
def _revoked(_header: dict, payload: dict) -> bool:
    return token_revoked(payload)


@jwt.expired_token_loader
def _expired(_header, _payload):
    return handle_api_error(TokenExpired())


@jwt.revoked_token_loader
def _revoked_response(_header, _payload):
    return handle_api_error(TokenRevoked())


@jwt.invalid_token_loader
def _invalid(reason: str):
    return _unauthorized(f"The token is not valid: {reason}.")


@jwt.unauthorized_loader
def _missing(_reason: str):
    return _unauthorized("Authentication is required: send 'Authorization: Bearer <token>'.")


@jwt.user_lookup_error_loader
def _no_user(_header, _payload):
    return handle_api_error(AccountInactive())


@jwt.needs_fresh_token_loader
def _not_fresh(_header, _payload):
    return _unauthorized("A fresh login is required.")


@jwt.token_verification_failed_loader
def _failed(_header, _payload):
    return _unauthorized("The token could not be verified.")
