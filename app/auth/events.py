"""Auth events: account and device changes, audited (never carrying secrets)."""

from __future__ import annotations

from app.core.events import Event, publish


def _user(name: str, user, action: str, changes: dict | None = None) -> None:
    publish(Event(name=f"auth.{name}", payload={"id": user.id, "email": user.email, "role": user.role},
                  entity="user", entity_id=user.id, action=action, changes=changes))


def user_registered(user) -> None:
    _user("user_registered", user, "create", {"email": [None, user.email], "role": [None, user.role]})


def user_updated(user, changes: dict) -> None:
    _user("user_updated", user, "update", changes)


def password_changed(user) -> None:
    _user("password_changed", user, "update", {"password": ["***", "***"]})


def logged_out(user) -> None:
    publish(Event(name="auth.logged_out", payload={"id": user.id}, entity="user", entity_id=user.id,
                  action="logout"))


def device_created(device) -> None:
    publish(Event(name="auth.device_created", payload={"id": device.id, "name": device.name, "kind": device.kind},
                  entity="device", entity_id=device.id, action="create",
                  changes={"name": [None, device.name], "kind": [None, device.kind]}))


def device_revoked(device) -> None:
    publish(Event(name="auth.device_revoked", payload={"id": device.id}, entity="device", entity_id=device.id,
                  action="delete", changes={"is_active": [True, False]}))
