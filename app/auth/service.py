"""Auth use cases: accounts, sessions (token pairs), profile, staff and devices."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_jwt_extended import create_access_token, create_refresh_token, decode_token
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from app.auth import events
from app.auth.errors import DeviceNotFound, EmailTaken, SelfChange, UserNotFound, WrongCredentials
from app.auth.models import Device, RevokedToken, User
from app.auth.passwords import hash_password, password_problems, verify_password
from app.core.daily import per_local_day
from app.core.datasets import date_range
from app.core.errors import TokenRevoked, ValidationFailed
from app.core.events import transactional
from app.core.security import ROLES, USER
from app.core.timeutil import utcnow
from app.extensions import db

PROFILE_FIELDS = ("full_name", "phone", "reminders")
ADMIN_FIELDS = ("role", "is_active", "full_name", "phone")


def _apply(obj, values: dict, allowed: tuple[str, ...]) -> dict:
    """Set allowed fields; return {field: [before, after]} of what changed."""
    changes = {}
    for name in allowed:
        if name in values and getattr(obj, name) != values[name]:
            changes[name] = [getattr(obj, name), values[name]]
            setattr(obj, name, values[name])
    return changes


def _check_password(password: str, email: str | None, field: str = "password") -> None:
    problems = password_problems(password, email)
    if problems:
        raise ValidationFailed({field: problems})


def get_user(user_id: int) -> User:
    """Return a user or raise 404."""
    user = db.session.get(User, user_id)
    if user is None:
        raise UserNotFound()
    return user


def find_user_by_email(email: str) -> User | None:
    """The account with this e-mail (any case), or None."""
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


@transactional
def register_user(*, email: str, password: str, full_name: str, phone: str | None = None,
                  role: str = USER) -> User:
    """Create an account; 409 when the e-mail is taken, 422 when the password is weak."""
    email = email.strip().lower()
    _check_password(password, email)
    if role not in ROLES:
        raise ValidationFailed({"role": [f"Must be one of: {', '.join(ROLES)}."]})
    if find_user_by_email(email):
        raise EmailTaken()
    user = User(email=email, password_hash=hash_password(password), full_name=full_name.strip(),
                phone=phone, role=role, is_active=True)
    db.session.add(user)
    db.session.flush()
    events.user_registered(user)
    return user


def authenticate(*, email: str, password: str) -> User:
    """Return the active user with these credentials; 401 otherwise (same message either way)."""
    user = find_user_by_email(email)
    if user is None or not verify_password(user.password_hash, password) or not user.is_active:
        raise WrongCredentials()
    return user


def issue_tokens(user: User) -> dict:
    """Mint an access/refresh pair; the access token names its refresh token (for logout)."""
    refresh = create_refresh_token(identity=user)
    refresh_jti = decode_token(refresh, allow_expired=True)["jti"]
    access = create_access_token(identity=user, additional_claims={"role": user.role, "rjti": refresh_jti})
    return {"access_token": access, "refresh_token": refresh}


def _revoke(jti: str, token_type: str, user_id: int | None, expires_at: datetime) -> None:
    if db.session.get(RevokedToken, jti) is None:
        db.session.add(RevokedToken(jti=jti, token_type=token_type, user_id=user_id, expires_at=expires_at))


def _claim_refresh(user: User, claims: dict) -> None:
    """Record the refresh token as used; 401 token_revoked when it was used before (even concurrently)."""
    used = TokenRevoked()
    if is_revoked(claims["jti"]):
        raise used
    try:
        with db.session.begin_nested():
            db.session.add(RevokedToken(jti=claims["jti"], token_type="refresh", user_id=user.id,
                                        expires_at=datetime.fromtimestamp(claims["exp"], UTC)))
    except IntegrityError as exc:
        raise used from exc


@transactional
def rotate_refresh(*, user: User, refresh_claims: dict) -> dict:
    """Revoke the presented refresh token and return a new pair (rotation: each one works once)."""
    _claim_refresh(user, refresh_claims)
    return issue_tokens(user)


@transactional
def logout(*, user: User, access_claims: dict) -> None:
    """Revoke the access token and the refresh token issued with it."""
    _revoke(access_claims["jti"], "access", user.id, datetime.fromtimestamp(access_claims["exp"], UTC))
    refresh_jti = access_claims.get("rjti")
    if refresh_jti:
        days = current_app.config["JWT_REFRESH_TOKEN_EXPIRES_DAYS"]
        _revoke(refresh_jti, "refresh", user.id, utcnow() + timedelta(days=days))
    events.logged_out(user)


def is_revoked(jti: str) -> bool:
    """True when a token id has been revoked (checked on every authenticated request)."""
    return db.session.get(RevokedToken, jti) is not None


def token_revoked(payload: dict) -> bool:
    """Whether a decoded token may no longer be used (the ``token_revoked`` hook)."""
    return is_revoked(payload["jti"])


def token_user(payload: dict) -> User | None:
    """The active user a decoded token names (the ``token_user`` hook)."""
    try:
        user = db.session.get(User, int(payload["sub"]))
    except (TypeError, ValueError):
        return None
    return user if user is not None and user.is_active else None


@transactional
def update_profile(*, user: User, values: dict) -> User:
    """Change the caller's own name, phone or reminder preference."""
    changes = _apply(user, values, PROFILE_FIELDS)
    if changes:
        events.user_updated(user, changes)
    return user


@transactional
def change_password(*, user: User, current_password: str, new_password: str) -> None:
    """Change the caller's password after checking the current one."""
    if not verify_password(user.password_hash, current_password):
        raise ValidationFailed({"current_password": ["The current password is wrong."]})
    _check_password(new_password, user.email, "new_password")
    user.password_hash = hash_password(new_password)
    events.password_changed(user)


def list_users(*, role: str | None = None, active: bool | None = None, q: str | None = None):
    """Return a query of users for admins, filtered."""
    stmt = select(User).order_by(User.id)
    if role:
        stmt = stmt.where(User.role == role)
    if active is not None:
        stmt = stmt.where(User.is_active.is_(active))
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(User.email.ilike(like) | User.full_name.ilike(like))
    return stmt


@transactional
def admin_update_user(*, admin: User, user_id: int, values: dict) -> User:
    """Change another user's role, name or active flag (an admin cannot lock themselves out)."""
    user = get_user(user_id)
    if user.id == admin.id and (values.get("is_active") is False or values.get("role", user.role) != user.role):
        raise SelfChange()
    changes = _apply(user, values, ADMIN_FIELDS)
    if changes:
        events.user_updated(user, changes)
    return user


def deactivate_user(*, admin: User, user_id: int) -> User:
    """Deactivate a user: their tokens stop working at once."""
    return admin_update_user(admin=admin, user_id=user_id, values={"is_active": False})


@transactional
def set_admin(*, email: str, password: str, full_name: str = "Administrator") -> tuple[User, bool]:
    """Create an admin or reset an existing account to admin with this password."""
    email = email.strip().lower()
    _check_password(password, email)
    user = find_user_by_email(email)
    created = user is None
    if created:
        user = register_user(email=email, password=password, full_name=full_name, role="admin")
    else:
        previous = user.role
        user.password_hash, user.role, user.is_active = hash_password(password), "admin", True
        events.user_updated(user, {"role": [previous, "admin"]})
    return user, created


def _hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transactional
def create_device(*, name: str, kind: str) -> tuple[Device, str]:
    """Register a device; return it with its raw key, which is never stored or shown again."""
    raw = "sk_" + secrets.token_urlsafe(32)
    device = Device(name=name, kind=kind, key_prefix=raw[:10], key_hash=_hash_key(raw), is_active=True)
    db.session.add(device)
    db.session.flush()
    events.device_created(device)
    return device, raw


def list_devices(*, kind: str | None = None) -> list[Device]:
    """Active devices, optionally of one kind."""
    stmt = select(Device).where(Device.is_active.is_(True)).order_by(Device.id)
    if kind:
        stmt = stmt.where(Device.kind == kind)
    return list(db.session.scalars(stmt))


@transactional
def revoke_device(*, device_id: int) -> None:
    """Revoke a device key (the device row stays for history)."""
    device = db.session.get(Device, device_id)
    if device is None or not device.is_active:
        raise DeviceNotFound()
    device.is_active = False
    events.device_revoked(device)


def resolve_device_key(raw: str) -> Device | None:
    """Return the active device owning this raw key, or None."""
    device = db.session.scalar(select(Device).where(Device.key_hash == _hash_key(raw)))
    return device if device is not None and device.is_active else None


def get_device(device_id: int) -> Device:
    """Return a device (active or not) or raise 404."""
    device = db.session.get(Device, device_id)
    if device is None:
        raise DeviceNotFound("No device with this id.")
    return device


@transactional
def purge_expired_revocations() -> int:
    """Drop revocation rows of tokens that have expired anyway (housekeeping)."""
    result = db.session.execute(delete(RevokedToken).where(RevokedToken.expires_at < utcnow()))
    return result.rowcount or 0


def users_by_role(*roles: str) -> list[User]:
    """Active users holding one of ``roles`` (recipients of staff notifications)."""
    return list(db.session.scalars(select(User).where(User.role.in_(roles), User.is_active.is_(True))))


def active_users(*, reminders_only: bool = False, role: str | None = None) -> list[User]:
    """Active users (optionally only those who accept reminders, or of one role)."""
    stmt = select(User).where(User.is_active.is_(True)).order_by(User.id)
    if reminders_only:
        stmt = stmt.where(User.reminders.is_(True))
    if role:
        stmt = stmt.where(User.role == role)
    return list(db.session.scalars(stmt))


def count_users() -> int:
    """Number of active accounts (admin statistics)."""
    return db.session.scalar(select(func.count(User.id)).where(User.is_active.is_(True))) or 0


def registrations_per_day(first, last) -> dict:
    """Accounts created per local day (KPI)."""
    return per_local_day(User.created_at, first, last)


def users_for_export(*, filters: dict):
    """Accounts oldest first, streamed, for the ``users`` dataset."""
    stmt = date_range(select(User).order_by(User.id), filters, User.created_at)
    if filters.get("role"):
        stmt = stmt.where(User.role == filters["role"])
    return db.session.scalars(stmt.execution_options(yield_per=500))
