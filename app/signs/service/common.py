"""Small rules every signs use case shares: conditional claims, the acting user, settings."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import update

from app.core.context import current_actor
from app.extensions import db


def claim(model, row_id: int, *conditions, values: dict) -> bool:
    """Set ``values`` on one row only while ``conditions`` hold (one conditional UPDATE)."""
    stmt = update(model).where(model.id == row_id, *conditions).values(values)
    return db.session.execute(stmt).rowcount == 1


def acting_user_id() -> int | None:
    """The id of the user behind the current request or task (None for devices and the system)."""
    actor = current_actor()
    return actor.id if actor.kind == "user" else None


def setting(name: str):
    """A signs setting from config.py."""
    return current_app.config[name]
