"""Operator commands: flask create-admin, flask seed-demo."""

from __future__ import annotations

import os
import time

import click
from flask import Flask

from app.core.domain import domains
from app.core.errors import APIError


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
        user, created = service.set_admin(email=email, password=password, full_name=full_name)
    except APIError as exc:
        detail = "; ".join(m for msgs in (exc.errors or {}).values() for m in msgs) or exc.message
        raise click.ClickException(detail) from exc
    click.echo(f"{'Created' if created else 'Reset'} admin {user.email}")


@click.command("seed-demo")
def seed_demo() -> None:
    """Add demo data for every domain (idempotent: run it as often as you like)."""
    for domain in domains():
        if domain.seed:
            started = time.perf_counter()
            domain.resolve(domain.seed)()
            click.echo(f"  {domain.title}: {time.perf_counter() - started:.1f} s")
    click.echo("Demo data is in place.")
