"""Device keys (sensors, signs, counters, shuttles): shown once, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select

from app.auth import events
from app.auth.errors import DeviceNotFound
from app.auth.models import Device
from app.core.events import transactional
from app.extensions import db


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
    """Return the active device owning this raw key, or None (the ``device_resolver`` hook)."""
    device = db.session.scalar(select(Device).where(Device.key_hash == _hash_key(raw)))
    return device if device is not None and device.is_active else None


def get_device(device_id: int) -> Device:
    """Return a device (active or not) or raise 404."""
    device = db.session.get(Device, device_id)
    if device is None:
        raise DeviceNotFound("No device with this id.")
    return device
