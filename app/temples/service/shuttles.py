"""Shuttles (PW-13): routes with stops, live positions, passengers, ETA to each remaining stop."""

from __future__ import annotations

from datetime import timedelta
from math import cos, radians

from sqlalchemy import select

from app.core.errors import ValidationFailed
from app.core.events import transactional
from app.core.geo import haversine_m
from app.core.timeutil import as_utc, utcnow
from app.extensions import db
from app.temples import events
from app.temples.errors import NoPosition, ShuttleNotFound
from app.temples.models import RouteStop, Shuttle, ShuttlePosition, ShuttleRoute
from app.temples.service.temples import get_temple

DEFAULT_SPEED_MPS = 20 / 3.6  # 20 km/h in town traffic
SPEED_WINDOW = timedelta(minutes=10)


def shuttles_for(*, temple_slug: str) -> list[Shuttle]:
    """The temple's shuttles with their routes and stops."""
    temple = get_temple(slug=temple_slug)
    stmt = select(Shuttle).join(ShuttleRoute).where(ShuttleRoute.temple_id == temple.id).order_by(Shuttle.id)
    return list(db.session.scalars(stmt))


def get_shuttle(*, shuttle_id: int) -> Shuttle:
    """Return a shuttle or raise 404."""
    shuttle = db.session.get(Shuttle, shuttle_id)
    if shuttle is None:
        raise ShuttleNotFound()
    return shuttle


@transactional
def create_route(*, temple_slug: str, name: str, stops: list[dict]) -> ShuttleRoute:
    """Add a route with its ordered stops (at least two)."""
    temple = get_temple(slug=temple_slug)
    if len(stops) < 2:
        raise ValidationFailed({"stops": ["A route needs at least two stops."]})
    route = ShuttleRoute(temple_id=temple.id, name=name, stops=[
        RouteStop(seq=i, name=stop["name"], lat=stop["lat"], lng=stop["lng"]) for i, stop in enumerate(stops)])
    db.session.add(route)
    db.session.flush()
    events.route_created(route)
    return route


@transactional
def create_shuttle(*, route_id: int, name: str, capacity: int) -> Shuttle:
    """Add a shuttle to a route."""
    if db.session.get(ShuttleRoute, route_id) is None:
        raise ValidationFailed({"route_id": ["No route with this id."]})
    shuttle = Shuttle(route_id=route_id, name=name, capacity=capacity, passengers=0)
    db.session.add(shuttle)
    db.session.flush()
    events.shuttle_created(shuttle)
    return shuttle


@transactional
def record_position(*, shuttle_id: int, lat: float, lng: float, passengers: int | None = None, at=None) -> Shuttle:
    """Store a GPS fix and publish `transport_update` on the temple's transport room."""
    shuttle = get_shuttle(shuttle_id=shuttle_id)
    at = as_utc(at) if at else utcnow()
    if passengers is not None and passengers > shuttle.capacity:
        raise ValidationFailed({"passengers": [f"At most {shuttle.capacity} (the shuttle's capacity)."]})
    db.session.add(ShuttlePosition(shuttle_id=shuttle.id, lat=lat, lng=lng, passengers=passengers, at=at))
    if shuttle.position_at is None or at >= shuttle.position_at:
        shuttle.lat, shuttle.lng, shuttle.position_at = lat, lng, at
        if passengers is not None:
            shuttle.passengers = passengers
    db.session.flush()
    events.shuttle_moved(shuttle)
    return shuttle


def _project(lat, lng, a: RouteStop, b: RouteStop) -> tuple[float, float]:
    """Project a point on segment a→b (local flat approximation): (fraction along, distance off in metres)."""
    k = cos(radians(a.lat))
    ax, ay, bx, by, px, py = a.lng * k, a.lat, b.lng * k, b.lat, lng * k, lat
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return t, haversine_m(lat, lng, a.lat + t * (b.lat - a.lat), a.lng + t * (b.lng - a.lng))


def _speed(shuttle: Shuttle) -> float:
    """Mean speed over the last fixes (metres per second), or the default when unknown."""
    since = (shuttle.position_at or utcnow()) - SPEED_WINDOW
    fixes = list(db.session.scalars(select(ShuttlePosition).where(
        ShuttlePosition.shuttle_id == shuttle.id, ShuttlePosition.at >= since).order_by(ShuttlePosition.at)))
    distance = sum(haversine_m(p.lat, p.lng, q.lat, q.lng) for p, q in zip(fixes, fixes[1:], strict=False))
    seconds = (as_utc(fixes[-1].at) - as_utc(fixes[0].at)).total_seconds() if len(fixes) > 1 else 0
    speed = distance / seconds if seconds > 0 else 0.0
    return speed if speed >= 1.0 else DEFAULT_SPEED_MPS


def eta(*, shuttle_id: int) -> list[dict]:
    """Seconds and metres along the route to each stop still ahead of the shuttle."""
    shuttle = get_shuttle(shuttle_id=shuttle_id)
    stops = shuttle.route.stops
    if shuttle.lat is None:
        raise NoPosition()
    cumulative = [0.0]
    for a, b in zip(stops, stops[1:], strict=False):
        cumulative.append(cumulative[-1] + haversine_m(a.lat, a.lng, b.lat, b.lng))
    best = min(range(len(stops) - 1), key=lambda i: _project(shuttle.lat, shuttle.lng, stops[i], stops[i + 1])[1])
    t, _off = _project(shuttle.lat, shuttle.lng, stops[best], stops[best + 1])
    along = cumulative[best] + t * (cumulative[best + 1] - cumulative[best])
    speed = _speed(shuttle)
    return [{"stop": stop.name, "seq": stop.seq, "distance_m": round(cumulative[i] - along),
             "eta_seconds": round((cumulative[i] - along) / speed)}
            for i, stop in enumerate(stops) if cumulative[i] > along + 1]
