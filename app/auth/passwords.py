"""Password hashing (argon2id) and the minimum password rules."""

from __future__ import annotations

import re
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

MIN_LENGTH = 10


@lru_cache(maxsize=8)
def _hasher(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)


def hasher() -> PasswordHasher:
    """The configured hasher (OWASP minimum by default: 19 MiB, 2 iterations, 1 lane)."""
    cfg = current_app.config
    return _hasher(cfg["PASSWORD_HASH_TIME_COST"], cfg["PASSWORD_HASH_MEMORY_KIB"])


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_problems(password: str, email: str | None = None) -> list[str]:
    """Return what is wrong with a new password (empty when acceptable)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"Password must be at least {MIN_LENGTH} characters long.")
    if len(password) > 128:
        problems.append("Password must be at most 128 characters long.")
    if not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
        problems.append("Password must contain at least one letter and one digit.")
    if email and password.lower() == email.lower():
        problems.append("Password must not be the e-mail address.")
    return problems
