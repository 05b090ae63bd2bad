"""Sessions and tokens (PW-1, SC-1, CR-6): one session per login, a refresh-token family.

A login starts a session and returns an access/refresh pair that both name it (``sid``). A refresh
rotates the pair: the session remembers the one refresh token that is current, and a conditional
UPDATE swaps it, so each refresh token works once. Presenting an older one means it was stolen or
replayed: the whole session (every token of the family) is ended. Logout, ``DELETE /auth/sessions/{id}``,
a password change, deactivation and "log out everywhere" end sessions; every authenticated request
checks, in one query, that its user is active and its session still open.
"""

from __future__ import annotations

import functools
import uuid
from datetime import timedelta

from flask import current_app
from flask_jwt_extended import create_access_token, create_refresh_token
from sqlalchemy import Integer, bindparam, delete, select, update

from app.auth import events
from app.auth.errors import SessionNotFound
from app.auth.models import AuthSession, User
from app.core.errors import TokenRevoked
from app.core.events import transactional
from app.core.security import ADMIN, ensure_owner_or_roles
from app.core.timeutil import utcnow
from app.extensions import db


def _pair(user: User, session: AuthSession) -> dict:
    """Mint a pair naming the session; the refresh token's id becomes the session's current one."""
    session.current_jti = uuid.uuid4().hex
    refresh = create_refresh_token(identity=user, additional_claims={"sid": session.id, "jti": session.current_jti})
    access = create_access_token(identity=user, additional_claims={"role": user.role, "sid": session.id})
    return {"access_token": access, "refresh_token": refresh}


@transactional
def issue_tokens(user: User, *, device: str | None = None, ip: str | None = None) -> dict:
    """Start a session for the user and return its first access/refresh pair."""
    now = utcnow()
    session = AuthSession(user_id=user.id, created_at=now, last_used_at=now, user_agent=(device or "")[:200] or None,
                          ip=ip, expires_at=now + timedelta(days=current_app.config["JWT_REFRESH_TOKEN_EXPIRES_DAYS"]))
    db.session.add(session)
    db.session.flush()
    return _pair(user, session)


def login(*, email: str, password: str, device: str | None = None, ip: str | None = None) -> dict:
    """Check the credentials and start a session: ``{access_token, refresh_token, user}``; 401 otherwise."""
    from app.auth.service.accounts import authenticate  # accounts ends sessions; sessions checks passwords

    user = authenticate(email=email, password=password)
    return {**issue_tokens(user, device=device, ip=ip), "user": user}


def rotate_refresh(*, user: User, refresh_claims: dict) -> dict:
    """Swap the presented refresh token for a new pair; a reused one ends the whole session (401)."""
    pair = _swap(user, refresh_claims)
    if pair is None:
        raise TokenRevoked()
    return pair


@transactional
def _swap(user: User, claims: dict) -> dict | None:
    """The conditional swap; when it finds another token current, end the family (committed) and return None."""
    sid, now = claims.get("sid"), utcnow()
    swapped = db.session.execute(update(AuthSession).where(
        AuthSession.id == sid, AuthSession.user_id == user.id, AuthSession.current_jti == claims["jti"],
        AuthSession.revoked_at.is_(None)).values(last_used_at=now)).rowcount == 1
    if not swapped:
        _end(AuthSession.id == sid, now)  # a replayed token: its family is compromised
        return None
    return _pair(user, db.session.get(AuthSession, sid))


def _end(criterion, now) -> int:
    return db.session.execute(update(AuthSession).where(criterion, AuthSession.revoked_at.is_(None))
                              .values(revoked_at=now)).rowcount or 0


@transactional
def logout(*, user: User, access_claims: dict) -> None:
    """End the session of this access token (its refresh token too)."""
    _end(AuthSession.id == access_claims.get("sid"), utcnow())
    events.logged_out(user)


@transactional
def end_all_sessions(*, user_id: int) -> int:
    """End every session of a user (password change, deactivation, log out everywhere)."""
    return _end(AuthSession.user_id == user_id, utcnow())


def list_sessions(*, user, user_id: int | None = None) -> list[AuthSession]:
    """Open sessions, newest first: the caller's own, or (admins) any user's."""
    owner = user.id if user_id is None or user.role != ADMIN else user_id
    return list(db.session.scalars(select(AuthSession).where(
        AuthSession.user_id == owner, AuthSession.revoked_at.is_(None), AuthSession.expires_at > utcnow())
        .order_by(AuthSession.last_used_at.desc(), AuthSession.id.desc())))


@transactional
def end_session(*, user, session_id: int) -> None:
    """End one session: its owner or an admin; 404 for anyone else or when it is already over."""
    session = ensure_owner_or_roles(user, db.session.get(AuthSession, session_id), ADMIN, missing=SessionNotFound)
    if session.revoked_at is not None:
        raise SessionNotFound()
    _end(AuthSession.id == session.id, utcnow())


def token_principal(payload: dict) -> tuple[User | None, bool]:
    """(the user, whether the session is open) a token names, in one query (the ``token_principal`` hook)."""
    try:
        params = {"user_id": int(payload["sub"]), "session_id": int(payload["sid"])}
    except (KeyError, TypeError, ValueError):
        return None, False
    row = db.session.execute(_principal_statement(), params).first()
    return (None, False) if row is None else (row[0], row[1] is None)


@functools.cache
def _principal_statement():
    """Built once with bound parameters (asked on every authenticated request: no statement building, and the
    SQL cache key stays memoized on the one statement object)."""
    return (select(User, AuthSession.revoked_at).join(AuthSession, AuthSession.user_id == User.id)
            .where(User.id == bindparam("user_id", type_=Integer),
                   AuthSession.id == bindparam("session_id", type_=Integer)))


@transactional
def purge_old_sessions() -> int:
    """Forget sessions that ended or expired more than a refresh lifetime ago (housekeeping)."""
    cutoff = utcnow() - timedelta(days=current_app.config["JWT_REFRESH_TOKEN_EXPIRES_DAYS"])
    return db.session.execute(delete(AuthSession).where(
        (AuthSession.expires_at < utcnow()) | (AuthSession.revoked_at < cutoff))).rowcount or 0
