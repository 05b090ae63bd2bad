"""Flask-JWT-Extended wiring: identity, user loading, revocation and JSON token errors."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from app.auth import service
from app.auth.models import User
from app.core.errors import error_response
from app.core.security import set_device_resolver
from app.extensions import db, jwt


def _unauthorized(message: str, error: str = "unauthorized"):
    return error_response(401, error, message)


def init_auth(app: Flask) -> None:
    """Configure tokens (lifetimes, header-only) and register the JWT callbacks."""
    app.config["JWT_ACCESS_TOKEN_EXPIRES"] = timedelta(minutes=app.config["JWT_ACCESS_TOKEN_EXPIRES_MINUTES"])
    app.config["JWT_REFRESH_TOKEN_EXPIRES"] = timedelta(days=app.config["JWT_REFRESH_TOKEN_EXPIRES_DAYS"])
    app.config["JWT_TOKEN_LOCATION"] = ["headers"]
    jwt.init_app(app)
    set_device_resolver(service.resolve_device_key)


@jwt.user_identity_loader
def _identity(user: User) -> str:
    return str(user.id if isinstance(user, User) else user)


@jwt.user_lookup_loader
def _lookup(_header: dict, payload: dict) -> User | None:
    try:
        user = db.session.get(User, int(payload["sub"]))
    except (TypeError, ValueError):
        return None
    return user if user is not None and user.is_active else None


@jwt.token_in_blocklist_loader
def _revoked(_header: dict, payload: dict) -> bool:
    return service.is_revoked(payload["jti"])


@jwt.expired_token_loader
def _expired(_header, _payload):
    return _unauthorized("The token has expired.", "token_expired")


@jwt.revoked_token_loader
def _revoked_response(_header, _payload):
    return _unauthorized("The token has been revoked.", "token_revoked")


@jwt.invalid_token_loader
def _invalid(reason: str):
    return _unauthorized(f"The token is not valid: {reason}.")


@jwt.unauthorized_loader
def _missing(reason: str):
    return _unauthorized("Authentication is required: send 'Authorization: Bearer <token>'.")


@jwt.user_lookup_error_loader
def _no_user(_header, _payload):
    return _unauthorized("The account is unknown or deactivated.", "account_inactive")


@jwt.needs_fresh_token_loader
def _not_fresh(_header, _payload):
    return _unauthorized("A fresh login is required.")


@jwt.token_verification_failed_loader
def _failed(_header, _payload):
    return _unauthorized("The token could not be verified.")
