"""Helpers every safety use case shares: who is acting, places, settings, the conditional UPDATE."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from app.auth import service as auth_service
from app.core.codes import short_code
from app.core.context import current_actor
from app.core.errors import NotFound, ValidationFailed
from app.core.places import resolve_temple
from app.extensions import db


@dataclass(frozen=True)
class Who:
    """The author of a step, as the timeline shows it."""

    kind: str
    id: int | None
    name: str


SYSTEM = Who("system", None, "Sangam")


def acting() -> Who:
    """The current actor with a display name (a user's full name, a device's name, or the system)."""
    actor = current_actor()
    if actor.kind == "user" and actor.id is not None:
        try:
            return Who("user", actor.id, auth_service.get_user(actor.id).full_name)
        except NotFound:
            return Who("user", actor.id, actor.label or "unknown user")
    if actor.kind == "device":
        return Who("device", actor.id, actor.label or "device")
    return SYSTEM


def user_name(user_id: int, field: str = "user_id") -> str:
    """A user's full name; 422 naming ``field`` when there is no such user (a wrong assignee or owner)."""
    try:
        return auth_service.get_user(user_id).full_name
    except NotFound as exc:
        raise ValidationFailed({field: [f"No user with id {user_id}."]}) from exc


def place(temple: str | int | None, zone: str | None) -> tuple[int | None, str | None, str | None]:
    """(temple_id, temple slug, zone) of a temple named by slug or id; 422 when unknown."""
    if temple is None:
        if zone is not None:
            raise ValidationFailed({"zone": ["A zone needs its temple."]})
        return None, None, None
    resolved = resolve_temple(temple)
    if resolved is None:
        raise ValidationFailed({"temple": [f"Unknown temple {temple!r}."]})
    return resolved[0], resolved[1], zone


def setting(name: str):
    """A SAFETY_* setting from config.py."""
    return current_app.config[f"SAFETY_{name}"]


def new_code(model, prefix: str) -> str:
    """A short human code (``SOS-7K3Q9X``) not used yet by ``model``."""
    for _ in range(10):
        code = short_code(prefix)
        if db.session.scalar(select(model.id).where(model.code == code)) is None:
            return code
    raise RuntimeError("could not find a free short code")  # 31⁶ codes: practically unreachable


def recipient_key(*parts: object) -> str:
    """A notification dedupe key that fits the column whatever the recipient (long webhook URLs)."""
    head, *rest = (str(p) for p in parts)
    digest = hashlib.sha256("|".join(rest).encode()).hexdigest()[:24]
    return f"safety:{head}:{digest}"
