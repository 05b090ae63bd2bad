"""Roles and the one way to check them; device-key authentication.

``@roles_required("operator")`` answers 401 without a valid token and 403 with a token of
another role; ``admin`` passes every role check. ``@device_or_roles("operator")`` also
accepts a registered device's ``X-Device-Key``. The auth domain plugs in how a device key
is resolved through the ``device_resolver`` hook (core knows no domain).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from copy import deepcopy

from flask import g, request
from flask_jwt_extended import get_current_user, verify_jwt_in_request

from app.core import hooks
from app.core.context import Actor, set_actor
from app.core.errors import Forbidden, InvalidDeviceKey, NotFound

ADMIN, OPERATOR, SAFETY_OFFICER, RECEPTION, USER = "admin", "operator", "safety_officer", "reception", "user"
ROLES = (ADMIN, OPERATOR, SAFETY_OFFICER, RECEPTION, USER)
STAFF = (ADMIN, OPERATOR, SAFETY_OFFICER, RECEPTION)
ANY = ROLES
DEVICE_HEADER = "X-Device-Key"

def _document(wrapper, roles, device: bool) -> None:
    """Record roles and 401/403 responses in the OpenAPI operation."""
    doc = deepcopy(getattr(wrapper, "_apidoc", {}))
    who = ", ".join(roles) if roles != ANY else "any logged-in user"
    if device:
        who += (", " if who else "") + "device (X-Device-Key)"
    manual = doc.setdefault("manual_doc", {})
    security = [{"bearerAuth": []}] if roles else []
    if device:
        security.append({"deviceKey": []})
    manual["security"] = security
    manual["description"] = (manual.get("description", "") + f"\n\n**Who:** {who}.").strip()
    responses = doc.setdefault("response", {}).setdefault("responses", {})
    responses.setdefault(401, []).append("UNAUTHORIZED")
    if roles and roles != ANY:
        responses.setdefault(403, []).append("FORBIDDEN")
    wrapper._apidoc = doc


def authenticate_user(roles: tuple[str, ...]):
    """Verify the access token and the user's role; return the user."""
    verify_jwt_in_request()
    user = get_current_user()
    if roles and user.role not in roles and user.role != ADMIN:
        raise Forbidden(f"This needs one of the roles: {', '.join(roles)}.")
    set_actor(Actor("user", user.id, user.email))
    g.current_user = user
    return user


def authenticate_device():
    """Resolve ``X-Device-Key``; 401 when missing or unknown."""
    raw = request.headers.get(DEVICE_HEADER, "")
    resolver = hooks.get("device_resolver")
    device = resolver(raw) if (raw and resolver) else None
    if device is None:
        raise InvalidDeviceKey()
    set_actor(Actor("device", device.id, device.name))
    g.current_device = device
    return device


def roles_required(*roles: str) -> Callable:
    """Allow logged-in users with one of ``roles`` (any logged-in user when empty)."""
    wanted = tuple(roles) or ANY

    def decorator(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            authenticate_user(() if wanted == ANY else wanted)
            return fn(*args, **kwargs)

        _document(wrapper, wanted, device=False)
        return wrapper

    return decorator


login_required = roles_required()


def device_or_roles(*roles: str) -> Callable:
    """Allow a registered device (X-Device-Key) or a user with one of ``roles``."""

    def decorator(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            if request.headers.get(DEVICE_HEADER):
                authenticate_device()
            else:
                authenticate_user(tuple(roles))
            return fn(*args, **kwargs)

        _document(wrapper, tuple(roles), device=True)
        return wrapper

    return decorator


def device_required(fn: Callable) -> Callable:
    """Allow only a registered device (X-Device-Key)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        authenticate_device()
        return fn(*args, **kwargs)

    _document(wrapper, (), device=True)
    return wrapper


def optional_user():
    """Return the logged-in user when a valid token is sent, else None (public endpoints)."""
    verify_jwt_in_request(optional=True)
    user = get_current_user()
    if user is not None:
        set_actor(Actor("user", user.id, user.email))
    return user


def has_role(user, *roles: str) -> bool:
    """True when ``user`` holds one of ``roles`` (admin holds them all)."""
    return user is not None and (user.role == ADMIN or user.role in roles)


def ensure_owner_or_roles(user, row, *roles: str, owner: str = "user_id", missing: type[NotFound] = NotFound):
    """Return ``row`` when it exists and ``user`` owns it (its ``owner`` attribute) or holds one of ``roles``.

    Anyone else gets a 404 rather than a 403, so that nobody learns which codes or ids exist.
    """
    if row is None or user is None or (getattr(row, owner) != user.id and not has_role(user, *roles)):
        raise missing()
    return row
