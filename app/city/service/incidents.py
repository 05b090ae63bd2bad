"""Traffic incidents (report, list, resolve) and the emergency-vehicle route around them.

An open incident slows its segment (low ×0.8, medium ×0.5, high ×0.25 of the live speed) and a
critical one closes it, so the route goes around; resolving is one conditional UPDATE
(``… WHERE status = 'active'``), a second resolve is a 409.
"""

from __future__ import annotations

from sqlalchemy import select

from app.city import events, roads
from app.city.catalogue import INCIDENT_SEVERITIES
from app.city.errors import IncidentNotFound, IncidentResolved, NoRoute, OffNetwork
from app.city.models import RoadNode, RoadSegment, TrafficIncident
from app.city.service.sensors import latest_values
from app.city.service.traffic import congestion_level
from app.core.errors import ValidationFailed
from app.core.events import transactional
from app.core.states import transition
from app.core.timeutil import utcnow
from app.extensions import db

SEVERITIES = INCIDENT_SEVERITIES
SLOWDOWN = {"low": 0.8, "medium": 0.5, "high": 0.25, "critical": None}
LIVE_SEVERITY = {"low": "info", "medium": "info", "high": "warning", "critical": "critical"}
MAX_SNAP_M = 2000


def incident_view(incident: TrafficIncident) -> dict:
    return {c.key: getattr(incident, c.key) for c in TrafficIncident.__table__.columns}


def _payload(incident: TrafficIncident) -> dict:
    from app.city.schemas import TrafficIncidentSchema

    return TrafficIncidentSchema().dump(incident_view(incident))


def get_incident(incident_id: int) -> TrafficIncident:
    incident = db.session.get(TrafficIncident, incident_id)
    if incident is None:
        raise IncidentNotFound()
    return incident


@transactional
def report_incident(*, kind: str, severity: str, description: str | None = None, segment_id: int | None = None,
                    lat: float | None = None, lng: float | None = None,
                    reported_by: int | None = None) -> TrafficIncident:
    """Record an incident on a segment or at a point, and tell the traffic room (critical: the emergency room)."""
    segment = db.session.get(RoadSegment, segment_id) if segment_id is not None else None
    if segment_id is not None and segment is None:
        raise ValidationFailed({"segment_id": ["No road segment with this id."]})
    if segment is None and (lat is None or lng is None):
        raise ValidationFailed({"segment_id": ["Give a segment_id, or lat and lng."]})
    if segment is not None and lat is None:
        lat, lng = _midpoint(segment)
    incident = TrafficIncident(kind=kind, severity=severity, description=description, segment_id=segment_id,
                               lat=lat, lng=lng, status="active", reported_at=utcnow(), reported_by=reported_by)
    db.session.add(incident)
    db.session.flush()
    events.incident_changed(_payload(incident), action="reported", severity=LIVE_SEVERITY[severity])
    return incident


def _midpoint(segment: RoadSegment) -> tuple[float, float]:
    a, b = db.session.get(RoadNode, segment.from_node_id), db.session.get(RoadNode, segment.to_node_id)
    return round((a.lat + b.lat) / 2, 6), round((a.lng + b.lng) / 2, 6)


def list_incidents(*, status: str | None = None):
    """A select of incidents, newest first."""
    stmt = select(TrafficIncident).order_by(TrafficIncident.reported_at.desc(), TrafficIncident.id.desc())
    return stmt.where(TrafficIncident.status == status) if status else stmt


@transactional
def update_incident(*, incident_id: int, values: dict) -> TrafficIncident:
    """Change an incident's severity or description, or resolve it (once)."""
    incident = get_incident(incident_id)
    if values.get("status") == "resolved":
        if not transition(TrafficIncident, incident_id, from_="active", to="resolved",
                          values={"resolved_at": utcnow()}):
            raise IncidentResolved()
        events.incident_changed(_payload(incident), action="resolved", severity="info")
    changes = {k: [getattr(incident, k), v] for k, v in values.items()
               if k in ("severity", "description") and getattr(incident, k) != v}
    for name, (_old, new) in changes.items():
        setattr(incident, name, new)
    if changes:
        events.changed("traffic_incident_updated", "traffic_incident", incident.id, "update", changes)
    return incident


def _edges() -> list[roads.Edge]:
    segments = list(db.session.scalars(select(RoadSegment)))
    speeds = latest_values([s.sensor_id for s in segments if s.sensor_id], "avg_speed_kmh")
    worst: dict[int, str] = {}
    for inc in db.session.scalars(select(TrafficIncident).where(TrafficIncident.status == "active")):
        if inc.segment_id and SEVERITIES.index(inc.severity) >= SEVERITIES.index(worst.get(inc.segment_id, "low")):
            worst[inc.segment_id] = inc.severity
    edges = []
    for s in segments:
        live = min(speeds[s.sensor_id][0], s.free_flow_kmh) if s.sensor_id in speeds else s.free_flow_kmh
        factor = SLOWDOWN[worst[s.id]] if s.id in worst else 1.0
        edges.append(roads.Edge(s.id, s.name, s.from_node_id, s.to_node_id, s.length_m,
                                None if factor is None else live * factor, s.oneway))
    return edges


def emergency_route(*, origin: tuple[float, float], destination: tuple[float, float]) -> dict:
    """The fastest path between two points over the road graph, as traffic and incidents are now."""
    nodes = {n.id: n for n in db.session.scalars(select(RoadNode))}
    if not nodes:
        raise NoRoute("There is no road network yet.")
    coords = {i: (n.lat, n.lng) for i, n in nodes.items()}
    (start, d1), (end, d2) = roads.nearest_node(coords, *origin), roads.nearest_node(coords, *destination)
    if max(d1, d2) > MAX_SNAP_M:
        field = "from" if d1 > MAX_SNAP_M else "to"
        raise OffNetwork({field: [f"More than {MAX_SNAP_M} m from the nearest road node."]})
    path = roads.fastest_path(roads.build_graph(_edges()), start, end)
    if path is None:
        raise NoRoute()
    free = {s.id: s.free_flow_kmh for s in db.session.scalars(select(RoadSegment))}
    legs = [{"id": e.segment_id, "name": e.name, "from_node": a, "to_node": b, "distance_m": round(e.length_m),
             "speed_kmh": round(e.speed_kmh, 1), "level": congestion_level(e.speed_kmh, free[e.segment_id]),
             "seconds": round(roads.travel_seconds(e))} for a, b, e in path]
    points = [nodes[start]] + [nodes[b] for _a, b, _e in path]
    return {"from_node": _point(nodes[start]), "to_node": _point(nodes[end]), "segments": legs,
            "distance_m": sum(leg["distance_m"] for leg in legs),
            "eta_seconds": round(sum(roads.travel_seconds(e) for _a, _b, e in path)),
            "path": [{"lat": n.lat, "lng": n.lng} for n in points]}


def _point(node: RoadNode) -> dict:
    return {"id": node.id, "key": node.key, "name": node.name, "lat": node.lat, "lng": node.lng}
