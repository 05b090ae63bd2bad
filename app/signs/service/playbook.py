"""Playbooks: a critical temple zone proposes the crowd alert nearby; a safety broadcast overrides an area.

Crowd playbook: when ``temples.zone_critical`` arrives, the signs of that zone and its neighbours
(every sign within ``SIGNS_PLAYBOOK_RADIUS_M`` metres of the temple) get the `crowd_alert` template
with the least crowded other zone of the temple as the alternative, as a **proposed** override an
operator approves with one click (applied at once with ``SIGNS_AUTO_PLAYBOOK=1``). One proposal per
zone is in force at a time (a partial unique index on its key), however often the zone flaps.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.core.errors import NotFound
from app.core.events import Event, transactional
from app.core.geo import haversine_m
from app.core.places import resolve_temple
from app.core.timeutil import utcnow
from app.extensions import db
from app.signs.models import ACTIVE, PROPOSED, Sign, SignOverride
from app.signs.service.common import setting
from app.signs.service.overrides import create_override, override_view
from app.signs.service.signs import sign_ids_in
from app.temples import service as temples

log = logging.getLogger("sangam.signs")
CROWD_TEMPLATE = "crowd_alert"
FALLBACK_ALTERNATIVE = "another area as staff direct you"


def nearby_signs(signs, *, temple_id: int, zone: str, lat: float, lng: float, radius_m: float) -> list[int]:
    """Ids of the signs in the zone, or within ``radius_m`` of (lat, lng); signs are (id, temple_id, zone, lat, lng)."""
    return sorted(i for i, t_id, z, s_lat, s_lng in signs
                  if (t_id == temple_id and z == zone) or haversine_m(lat, lng, s_lat, s_lng) <= radius_m)


def less_crowded(zones: list[dict], zone: str) -> str | None:
    """The least crowded other zone that is not critical, as '<name> (<n>% full)'; None when there is none."""
    others = [z for z in zones if z["zone"] != zone and z["level"] != "critical"]
    if not others:
        return None
    best = min(others, key=lambda z: (z["density_pct"], z["zone"]))
    return f"{best['name']} ({round(best['density_pct'])}% full)"


def _temple_zones(temple: str) -> list[dict]:
    """The temple's current crowd per zone, asked of the temples domain."""
    try:
        return temples.current_crowd(temple_slug=temple)["zones"]
    except NotFound:
        return []


def on_zone_critical(evt: Event) -> None:
    """Handle `temples.zone_critical`: propose (or apply) the crowd alert around the zone."""
    p = evt.payload
    propose_crowd_alert(temple=p["temple"], temple_id=p["temple_id"], zone=p["zone"], name=p.get("name") or p["zone"],
                        density_pct=p["density_pct"], lat=p["lat"], lng=p["lng"])


@transactional
def propose_crowd_alert(*, temple: str, temple_id: int, zone: str, name: str, density_pct: float, lat: float,
                        lng: float) -> dict | None:
    """Propose the crowd alert for the signs around a critical zone (once while one is in force)."""
    key = f"crowd:{temple_id}:{zone}"
    existing = db.session.scalar(select(SignOverride).where(SignOverride.source_key == key,
                                                             SignOverride.status.in_((PROPOSED, ACTIVE))))
    if existing is not None:
        return override_view(existing)
    rows = db.session.execute(select(Sign.id, Sign.temple_id, Sign.zone, Sign.lat, Sign.lng)).all()
    sign_ids = nearby_signs(rows, temple_id=temple_id, zone=zone, lat=lat, lng=lng,
                            radius_m=setting("SIGNS_PLAYBOOK_RADIUS_M"))
    if not sign_ids:
        log.info("no signs near critical zone %s/%s", temple, zone)
        return None
    params = {"zone": name, "density": round(density_pct),
              "alternative": less_crowded(_temple_zones(temple), zone) or FALLBACK_ALTERNATIVE}
    expires_at = utcnow() + timedelta(minutes=setting("SIGNS_PLAYBOOK_MINUTES"))
    try:
        with db.session.begin_nested():
            return create_override(targets={"sign_ids": sign_ids}, severity="warning", template=CROWD_TEMPLATE,
                                   params=params, expires_at=expires_at, source="playbook", source_key=key,
                                   propose=not setting("SIGNS_AUTO_PLAYBOOK"))
    except IntegrityError:  # another process proposed it at the same moment
        return None


def _area(scope: str, temple, zone: str | None) -> list[int]:
    if scope == "city":
        return sign_ids_in()
    resolved = resolve_temple(temple)
    if resolved is None:
        return []
    return sign_ids_in(temple_id=resolved[0], zone=zone if scope == "zone" else None)


@transactional
def broadcast_override(*, severity: str, title: str, message: str, scope: str, temple=None, zone: str | None = None,
                       expires_at: datetime | None = None) -> dict:
    """Override every sign of the area (city, temple or zone) with a safety warning; report its delivery.

    Returns ``{id, status, signs, sent, acknowledged, flagged, expires_at}`` (``id`` None and zeros when
    the area has no signs); acknowledgements grow as signs answer (GET /city/signs/overrides/{id}).
    """
    sign_ids = _area(scope, temple, zone)
    if not sign_ids:
        return {"id": None, "status": None, "signs": 0, "sent": 0, "acknowledged": 0, "flagged": 0,
                "expires_at": expires_at}
    view = create_override(targets={"sign_ids": sign_ids}, severity=severity, text=message, title=title,
                           expires_at=expires_at, source="broadcast")
    return {k: view[k] for k in ("id", "status", "signs", "sent", "acknowledged", "flagged", "expires_at")}
