"""The road network: nodes with real coordinates, segments between them, signalised junctions."""

from __future__ import annotations

from sqlalchemy import select

from app.city import events
from app.city.models import Junction, JunctionApproach, RoadNode, RoadSegment, Sensor
from app.core.errors import ValidationFailed
from app.core.events import transactional
from app.core.geo import haversine_m
from app.extensions import db

DETOUR = 1.15  # a street is a little longer than the straight line between its ends


def node_by_key(key: str) -> RoadNode | None:
    return db.session.scalar(select(RoadNode).where(RoadNode.key == key))


@transactional
def add_node(*, key: str, name: str, lat: float, lng: float) -> RoadNode:
    """Add a road node (an intersection or a landmark on the network)."""
    node = RoadNode(key=key, name=name, lat=lat, lng=lng)
    db.session.add(node)
    db.session.flush()
    return node


@transactional
def add_segment(*, key: str, name: str, from_key: str, to_key: str, free_flow_kmh: float, zone: str,
                lanes: int = 1, oneway: bool = False, length_m: float | None = None,
                sensor_id: int | None = None) -> RoadSegment:
    """Add a segment between two nodes (length from their coordinates unless given)."""
    a, b = node_by_key(from_key), node_by_key(to_key)
    if a is None or b is None:
        raise ValidationFailed({"from_key" if a is None else "to_key": ["No road node with this key."]})
    if sensor_id is not None and getattr(db.session.get(Sensor, sensor_id), "kind", None) != "traffic":
        raise ValidationFailed({"sensor_id": ["Must be a sensor of kind traffic."]})
    length = length_m or round(haversine_m(a.lat, a.lng, b.lat, b.lng) * DETOUR, 1)
    segment = RoadSegment(key=key, name=name, from_node_id=a.id, to_node_id=b.id, length_m=length,
                          free_flow_kmh=free_flow_kmh, lanes=lanes, oneway=oneway, zone=zone, sensor_id=sensor_id)
    db.session.add(segment)
    db.session.flush()
    events.changed("road_segment_created", "road_segment", segment.id, "create", {"key": [None, key]})
    return segment


@transactional
def add_junction(*, key: str, name: str, node_key: str | None, approaches: list[dict],
                 lost_time_per_phase_s: float = 4.0) -> Junction:
    """Add a signalised junction; each approach ``{name, phase, segment_key, saturation_vph}``."""
    node = node_by_key(node_key) if node_key else None
    junction = Junction(key=key, name=name, node_id=node.id if node else None,
                        lost_time_per_phase_s=lost_time_per_phase_s)
    db.session.add(junction)
    db.session.flush()
    for a in approaches:
        segment = db.session.scalar(select(RoadSegment).where(RoadSegment.key == a["segment_key"]))
        if segment is None:
            raise ValidationFailed({"approaches": [f"No segment {a['segment_key']!r}."]})
        db.session.add(JunctionApproach(junction_id=junction.id, name=a["name"], phase=a["phase"],
                                        segment_id=segment.id, saturation_vph=a["saturation_vph"]))
    db.session.flush()
    return junction
