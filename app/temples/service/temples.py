"""Temples and zones (PW-20): lookup, creation, and the temple resolver other domains use."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.errors import Conflict, NotFound
from app.core.events import Event, publish, transactional
from app.extensions import db
from app.temples.models import Temple, Zone


def list_temples() -> list[Temple]:
    """All temples with their zones."""
    return list(db.session.scalars(select(Temple).options(selectinload(Temple.zones)).order_by(Temple.id)))


def get_temple(slug: str) -> Temple:
    """Return a temple by slug or raise 404."""
    temple = db.session.scalar(select(Temple).where(Temple.slug == slug))
    if temple is None:
        raise NotFound(f"No temple '{slug}'.")
    return temple


def get_zone(temple: Temple, slug: str) -> Zone:
    zone = db.session.scalar(select(Zone).where(Zone.temple_id == temple.id, Zone.slug == slug))
    if zone is None:
        raise NotFound(f"No zone '{slug}' at {temple.name}.")
    return zone


def resolve_temple(ref: int | str) -> tuple[int, str] | None:
    """(id, slug) of a temple named by id or slug (installed into app.core.places)."""
    column = Temple.id if isinstance(ref, int) else Temple.slug
    row = db.session.execute(select(Temple.id, Temple.slug).where(column == ref)).first()
    return (row.id, row.slug) if row else None


@transactional
def create_temple(*, slug: str, name: str, location: str, lat: float, lng: float, timezone: str = "Asia/Kolkata",
                  code_prefix: str | None = None, zones: list[dict] | None = None) -> Temple:
    """Add a temple (and its zones); 409 when the slug is taken."""
    if db.session.scalar(select(Temple.id).where(Temple.slug == slug)):
        raise Conflict(f"A temple '{slug}' already exists.")
    temple = Temple(slug=slug, name=name, location=location, lat=lat, lng=lng, timezone=timezone,
                    code_prefix=(code_prefix or slug[:3]).upper())
    db.session.add(temple)
    db.session.flush()
    for zone in zones or []:
        add_zone(temple=temple, **zone)
    publish(Event(name="temples.temple_created", payload={"slug": slug}, entity="temple", entity_id=temple.id,
                  action="create", changes={"slug": [None, slug], "name": [None, name]}))
    return temple


@transactional
def add_zone(*, temple: Temple, slug: str, name: str, capacity: int) -> Zone:
    """Add a zone to a temple; 409 when the temple already has that zone."""
    exists = db.session.scalar(select(Zone.id).where(Zone.temple_id == temple.id, Zone.slug == slug))
    if exists:
        raise Conflict(f"{temple.name} already has a zone '{slug}'.")
    zone = Zone(temple_id=temple.id, slug=slug, name=name, capacity=capacity)
    db.session.add(zone)
    db.session.flush()
    publish(Event(name="temples.zone_created", payload={"temple": temple.slug, "zone": slug}, entity="zone",
                  entity_id=zone.id, action="create", changes={"capacity": [None, capacity]}))
    return zone
