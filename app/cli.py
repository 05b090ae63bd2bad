"""Operator commands: flask create-admin, flask seed-demo."""

from __future__ import annotations

import os
from importlib import import_module

import click
from flask import Flask

from app.core.errors import APIError

# Each module exposes seed_demo(password_for) and is idempotent.
SEEDERS = ("app.auth.seed", "app.temples.seed", "app.parking.seed")


def register_commands(app: Flask) -> None:
    app.cli.add_command(create_admin)
    app.cli.add_command(seed_demo)


@click.command("create-admin")
@click.option("--email", required=True, help="the admin's e-mail")
@click.option("--password", default=None, help="the password (or set ADMIN_PASSWORD)")
@click.option("--name", "full_name", default="Administrator", show_default=True)
def create_admin(email: str, password: str | None, full_name: str) -> None:
    """Create (or reset) an admin account. There is no default admin anywhere."""
    from app.auth import service

    password = password or os.environ.get("ADMIN_PASSWORD")
    if not password:
        raise click.UsageError("give --password or set ADMIN_PASSWORD")
    try:
        user, created = service.set_admin(email, password, full_name)
    except APIError as exc:
        detail = "; ".join(m for msgs in (exc.errors or {}).values() for m in msgs) or exc.message
        raise click.ClickException(detail) from exc
    click.echo(f"{'Created' if created else 'Reset'} admin {user.email}")


@click.command("seed-demo")
def seed_demo() -> None:
    """Add demo data for every domain (idempotent: run it as often as you like)."""
    for name in SEEDERS:
        import_module(name).seed_demo()
    click.echo("Demo data is in place.")
