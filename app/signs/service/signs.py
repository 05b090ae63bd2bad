"""Signs as devices (CA-1, CA-2): register, change, list with what each shows, history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.auth import service as auth_service
from app.core.errors import ValidationFailed
from app.core.events import transactional
from app.core.places import resolve_temple
from app.extensions import db
from app.signs import events
from app.signs.errors import SignNotFound
from app.signs.models import OFFLINE, Sign, SignSample
from app.signs.service.content import current_content, showing
from app.temples import service as temples

DEVICE_KIND = "sign"
FIELDS = ("name", "zone", "group", "lat", "lng", "temple_id", "temple")
MAX_SAMPLES = 2000


VIEW_FIELDS = ("id", "device_id", "name", "temple", "zone", "group", "lat", "lng", "status", "connected_at",
               "last_seen_at", "battery", "signal_strength", "crowd_density", "crowd_count", "impressions")


def figures_view(sign: Sign) -> dict:
    """A sign's state and figures: the resource without `showing` (a heartbeat's `sign_update`)."""
    return {name: getattr(sign, name) for name in VIEW_FIELDS}


def sign_view(sign: Sign, entry: dict | None = None) -> dict:
    """A sign as the REST resource (`showing` computed unless given)."""
    if entry is None:
        entry = current_content([sign.id]).get(sign.id)
    return {**figures_view(sign), "showing": showing(entry)}


def get_sign(sign_id: int) -> Sign:
    """Return a sign or raise 404."""
    sign = db.session.get(Sign, sign_id)
    if sign is None:
        raise SignNotFound()
    return sign


def sign_detail(*, sign_id: int) -> dict:
    """One sign with its state and what it shows."""
    return sign_view(get_sign(sign_id))


def list_signs(*, zone: str | None = None, group: str | None = None, status: str | None = None) -> list[dict]:
    """Every sign (filtered) with its state and what it shows now (two queries for all of them)."""
    stmt = select(Sign).order_by(Sign.zone, Sign.name, Sign.id)
    for column, value in ((Sign.zone, zone), (Sign.group, group), (Sign.status, status)):
        if value is not None:
            stmt = stmt.where(column == value)
    signs = list(db.session.scalars(stmt))
    content = current_content(None) if signs else {}
    return [sign_view(sign, content.get(sign.id, {"override": None, "messages": []})) for sign in signs]


def signs_snapshot(_scope: dict | None = None) -> dict:
    """What a new `signs` subscriber receives at once: every sign's state (CA-1)."""
    from app.signs.schemas import SignSchema

    return {"snapshot": True, "signs": SignSchema(many=True).dump(list_signs())}


def _place(temple: str | int | None, zone: str) -> tuple[int | None, str | None]:
    """(temple_id, slug) for a sign at a temple, checking the zone is one of the temple's."""
    if temple is None:
        return None, None
    resolved = resolve_temple(temple)
    if resolved is None:
        raise ValidationFailed({"temple": [f"Unknown temple '{temple}'."]})
    zones = [z["zone"] for z in temples.current_crowd(temple_slug=resolved[1])["zones"]]
    if zone not in zones:
        raise ValidationFailed({"zone": [f"{resolved[1]} has no zone '{zone}'; it has: {', '.join(zones)}."]})
    return resolved


@transactional
def register_sign(*, name: str, zone: str, lat: float, lng: float, group: str | None = None,
                  temple: str | None = None) -> tuple[dict, str]:
    """Register a sign (a device of kind `sign`); return it with its key, shown this once only."""
    temple_id, temple_slug = _place(temple, zone)
    device, key = auth_service.create_device(name=name, kind=DEVICE_KIND)
    sign = Sign(device_id=device.id, name=name, zone=zone, group=group, lat=lat, lng=lng, temple_id=temple_id,
                temple=temple_slug, status=OFFLINE, impressions=0)
    db.session.add(sign)
    db.session.flush()
    view = sign_view(sign, {"override": None, "messages": []})
    events.sign_changed("sign_update", view, action="create",
                        changes={k: [None, view[k]] for k in ("name", "zone", "group", "lat", "lng", "temple")})
    return view, key


@transactional
def update_sign(*, sign_id: int, values: dict) -> dict:
    """Change a sign's name, place, zone or group."""
    sign = get_sign(sign_id)
    values = dict(values)
    if "temple" in values or "zone" in values:
        temple = values.pop("temple", sign.temple)
        values["temple_id"], values["temple"] = _place(temple, values.get("zone", sign.zone))
    changes = {k: [getattr(sign, k), v] for k, v in values.items() if k in FIELDS and getattr(sign, k) != v}
    for name, (_before, after) in changes.items():
        setattr(sign, name, after)
    view = sign_view(sign)
    if changes:
        events.sign_changed("sign_update", view, action="update", changes=changes)
    return view


@transactional
def issue_new_key(*, sign_id: int) -> tuple[dict, str]:
    """Give a sign a new device key (a lost key, the console's simulator); the old key stops working."""
    sign = get_sign(sign_id)
    old = sign.device_id
    device, key = auth_service.create_device(name=sign.name, kind=DEVICE_KIND)
    sign.device_id = device.id
    db.session.flush()
    auth_service.revoke_device(device_id=old)
    if sign.sid:
        events.close_connections([sign.sid])
    view = sign_view(sign)
    events.sign_changed("sign_update", view, action="update", changes={"device_id": [old, device.id]})
    return view, key


def sign_samples(*, sign_id: int, since: datetime | None = None, until: datetime | None = None) -> list[SignSample]:
    """A sign's sampled heartbeats, oldest first (at most 2000)."""
    get_sign(sign_id)
    stmt = select(SignSample).where(SignSample.sign_id == sign_id)
    if since:
        stmt = stmt.where(SignSample.at >= since)
    if until:
        stmt = stmt.where(SignSample.at < until)
    latest = stmt.order_by(SignSample.at.desc()).limit(MAX_SAMPLES).subquery()
    return list(db.session.scalars(select(SignSample).join(latest, SignSample.id == latest.c.id)
                                   .order_by(SignSample.at)))


def sign_ids_in(*, temple_id: int | None = None, zone: str | None = None) -> list[int]:
    """Ids of the signs of a temple (and zone), or of every sign."""
    stmt = select(Sign.id).order_by(Sign.id)
    if temple_id is not None:
        stmt = stmt.where(Sign.temple_id == temple_id)
    if zone is not None:
        stmt = stmt.where(Sign.zone == zone)
    return list(db.session.scalars(stmt))
