"""Demo staff accounts, one per role."""

from __future__ import annotations

import os
import secrets

import click

from app.auth import service
from app.core.security import ROLES

DEMO_DOMAIN = "demo.sangam.local"


def demo_email(role: str) -> str:
    return f"{role.replace('_', '.')}@{DEMO_DOMAIN}"


def seed_demo() -> None:
    """Create one demo account per role; print each new password once.

    Passwords come from DEMO_PASSWORD when set (handy for scripted demos), otherwise they are
    random and shown only at creation. Existing accounts are left as they are.
    """
    for role in ROLES:
        email = demo_email(role)
        if service.find_user_by_email(email):
            continue
        password = os.environ.get("DEMO_PASSWORD") or (secrets.token_urlsafe(9) + "7a")
        service.register_user(email=email, password=password, full_name=f"Demo {role.replace('_', ' ')}",
                              role=role, phone="+919800000000")
        click.echo(f"demo {role:15} {email:35} password: {password}")
