"""Temples and zones (PW-20): lookup, creation, and the temple resolver other domains use."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.events import transactional
from app.extensions import db
from app.temples import events
from app.temples.errors import TempleExists, TempleNotFound, ZoneExists, ZoneNotFound
from app.temples.models import Temple, Zone


def list_temples() -> list[Temple]:
    """All temples with their zones."""
    return list(db.session.scalars(select(Temple).options(selectinload(Temple.zones)).order_by(Temple.id)))


def get_temple(*, slug: str) -> Temple:
    """Return a temple by slug or raise 404."""
    temple = db.session.scalar(select(Temple).where(Temple.slug == slug))
    if temple is None:
        raise TempleNotFound(f"No temple '{slug}'.")
    return temple


def temple_by_id(temple_id: int) -> Temple:
    """Return a temple by id or raise 404."""
    temple = db.session.get(Temple, temple_id)
    if temple is None:
        raise TempleNotFound()
    return temple


def get_zone(temple: Temple, slug: str) -> Zone:
    """Return one of a temple's zones or raise 404."""
    zone = next((z for z in temple.zones if z.slug == slug), None)
    if zone is None:
        raise ZoneNotFound(f"No zone '{slug}' at {temple.name}.")
    return zone


def resolve_temple(ref: int | str) -> tuple[int, str] | None:
    """(id, slug) of a temple named by id or slug (the ``temple_resolver`` hook)."""
    column = Temple.id if isinstance(ref, int) else Temple.slug
    row = db.session.execute(select(Temple.id, Temple.slug).where(column == ref)).first()
    return (row.id, row.slug) if row else None


@transactional
def create_temple(*, slug: str, name: str, location: str, lat: float, lng: float, timezone: str = "Asia/Kolkata",
                  code_prefix: str | None = None, zones: list[dict] | None = None) -> Temple:
    """Add a temple (and its zones); 409 when the slug is taken."""
    if db.session.scalar(select(Temple.id).where(Temple.slug == slug)):
        raise TempleExists(f"A temple '{slug}' already exists.")
    temple = Temple(slug=slug, name=name, location=location, lat=lat, lng=lng, timezone=timezone,
                    code_prefix=(code_prefix or slug[:3]).upper())
    db.session.add(temple)
    db.session.flush()
    for zone in zones or []:
        _add_zone(temple, **zone)
    events.temple_created(temple)
    return temple


def _add_zone(temple: Temple, *, slug: str, name: str, capacity: int) -> Zone:
    if any(z.slug == slug for z in temple.zones):
        raise ZoneExists(f"{temple.name} already has a zone '{slug}'.")
    zone = Zone(temple_id=temple.id, slug=slug, name=name, capacity=capacity)
    temple.zones.append(zone)
    db.session.flush()
    events.zone_created(temple, zone)
    return zone


@transactional
def add_zone(*, temple_slug: str, slug: str, name: str, capacity: int) -> Zone:
    """Add a zone to a temple; 409 when the temple already has that zone."""
    return _add_zone(get_temple(slug=temple_slug), slug=slug, name=name, capacity=capacity)
