"""Flask-JWT-Extended wiring: lifetimes, JSON token errors, and the auth domain's hooks.

Who a token names, and whether it is still valid, is the auth domain's business: it provides the
``token_user(payload) -> user | None`` and ``token_revoked(payload) -> bool`` hooks.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

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


@jwt.user_lookup_loader
def _lookup(_header: dict, payload: dict):
    loader = hooks.get("token_user")
    return loader(payload) if loader else None


@jwt.token_in_blocklist_loader
def _revoked(_header: dict, payload: dict) -> bool:
    check = hooks.get("token_revoked")
    return bool(check and check(payload))


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
