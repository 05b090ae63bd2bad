"""Auth use cases: accounts, sessions (token pairs), profile, staff and devices."""

from __future__ import annotations

from sqlalchemy import func, select

from app.auth import events
from app.auth.errors import EmailTaken, SelfChange, UserNotFound, WrongCredentials
from app.auth.models import User
from app.auth.passwords import hash_password, password_problems, verify_password
from app.auth.service.sessions import end_all_sessions
from app.core.daily import per_local_day
from app.core.datasets import date_range
from app.core.errors import ValidationFailed
from app.core.events import transactional
from app.core.security import ROLES, USER
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
    end_all_sessions(user_id=user.id)  # every token issued before the change stops working
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
    if changes.get("is_active") == [True, False]:
        end_all_sessions(user_id=user.id)  # reactivating the account later does not revive old tokens
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
        end_all_sessions(user_id=user.id)
        events.user_updated(user, {"role": [previous, "admin"]})
    return user, created


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
