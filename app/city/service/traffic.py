"""Traffic (SC-3): congestion per segment, peak hours, forecasts and Webster signal plans.

Congestion compares a segment's live mean speed (its sensor's newest ``avg_speed_kmh``) with its
free-flow speed: at least 75 % is ``free``, 50–75 % ``moderate``, 25–50 % ``heavy``, below ``jammed``.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, select, update

from app.city import events, forecast, webster
from app.city.errors import JunctionNotFound
from app.city.models import Junction, JunctionApproach, RoadNode, RoadSegment, Sensor, TrafficIncident
from app.city.service.sensors import latest_values
from app.city.service.series import zone_series
from app.core.events import transactional
from app.core.timeutil import city_zone, utcnow
from app.extensions import db

LEVELS = ((0.75, "free"), (0.5, "moderate"), (0.25, "heavy"))
HISTORY_DAYS = 28


def congestion_level(speed_kmh: float | None, free_flow_kmh: float) -> str:
    """free / moderate / heavy / jammed from the ratio of speed to free flow (unknown without data)."""
    if speed_kmh is None:
        return "unknown"
    ratio = speed_kmh / free_flow_kmh
    return next((name for limit, name in LEVELS if ratio >= limit), "jammed")


def _segments(stmt=None) -> list[RoadSegment]:
    return list(db.session.scalars(stmt if stmt is not None else select(RoadSegment).order_by(RoadSegment.id)))


def segment_views(segments: list[RoadSegment] | None = None) -> list[dict]:
    """Segments with live speed, flow, congestion level and open incidents."""
    segments = _segments() if segments is None else segments
    sensor_ids = [s.sensor_id for s in segments if s.sensor_id]
    speeds, flows = latest_values(sensor_ids, "avg_speed_kmh"), latest_values(sensor_ids, "vehicle_count")
    nodes = {n.id: n for n in db.session.scalars(select(RoadNode))}
    open_incidents = _open_incidents()
    return [_view(s, speeds.get(s.sensor_id), flows.get(s.sensor_id), nodes, open_incidents.get(s.id, 0))
            for s in segments]


def _open_incidents() -> dict[int, int]:
    stmt = select(TrafficIncident.segment_id).where(TrafficIncident.status == "active",
                                                    TrafficIncident.segment_id.is_not(None))
    counts: dict[int, int] = {}
    for sid in db.session.scalars(stmt):
        counts[sid] = counts.get(sid, 0) + 1
    return counts


def _node(node: RoadNode) -> dict:
    return {"id": node.id, "key": node.key, "name": node.name, "lat": node.lat, "lng": node.lng}


def _view(seg: RoadSegment, speed, flow, nodes, incidents: int) -> dict:
    speed_kmh = speed[0] if speed else None
    return {"id": seg.id, "key": seg.key, "name": seg.name, "zone": seg.zone, "from": _node(nodes[seg.from_node_id]),
            "to": _node(nodes[seg.to_node_id]), "length_m": seg.length_m, "free_flow_kmh": seg.free_flow_kmh,
            "speed_kmh": speed_kmh, "speed_ratio": round(speed_kmh / seg.free_flow_kmh, 2) if speed else None,
            "level": congestion_level(speed_kmh, seg.free_flow_kmh), "vehicle_count": flow[0] if flow else None,
            "at": speed[1] if speed else None, "open_incidents": incidents}


def congestion(*, zone: str | None = None) -> dict:
    """Congestion per segment, with a count per level."""
    stmt = select(RoadSegment).order_by(RoadSegment.id)
    segments = segment_views(_segments(stmt.where(RoadSegment.zone == zone) if zone else stmt))
    summary = dict.fromkeys(("free", "moderate", "heavy", "jammed", "unknown"), 0)
    for s in segments:
        summary[s["level"]] += 1
    return {"segments": segments, "summary": summary, "at": utcnow()}


@transactional
def refresh_segments(*, sensor_ids: set[int]) -> list[dict]:
    """Store the new congestion level of segments these sensors measure; publish the ones that changed."""
    segments = _segments(select(RoadSegment).where(RoadSegment.sensor_id.in_(sensor_ids)))
    changed = []
    for view in segment_views(segments) if segments else []:
        stmt = (update(RoadSegment).where(RoadSegment.id == view["id"],
                                          or_(RoadSegment.level.is_(None), RoadSegment.level != view["level"]))
                .values(level=view["level"]))
        if db.session.execute(stmt).rowcount == 1:
            changed.append(view)
    if changed:
        severity = "warning" if any(v["level"] == "jammed" for v in changed) else "info"
        events.traffic_update(segments=[_json(v) for v in changed], severity=severity)
    return changed


def _json(view: dict) -> dict:
    return {**view, "at": view["at"].isoformat() if view["at"] else None}


def _traffic_sensor_ids() -> list[int]:
    return list(db.session.scalars(select(Sensor.id).where(Sensor.kind == "traffic", Sensor.is_active.is_(True))))


def _hourly(sensor_ids: list[int], metric: str) -> list[tuple]:
    end = utcnow()
    points = zone_series(sensor_ids=sensor_ids, metric=metric, start=end - timedelta(days=HISTORY_DAYS), end=end,
                         bucket="1h") if sensor_ids else []
    return [(p["at"], p["avg"]) for p in points]


def peak_hours() -> list[dict]:
    """Local hours ranked by mean flow (vehicles/h per sensor) over the last four weeks."""
    prof = forecast.profile(_hourly(_traffic_sensor_ids(), "vehicle_count"), city_zone())
    ranked = sorted(prof["hour"].items(), key=lambda kv: -kv[1])
    return [{"rank": n + 1, "hour": hour, "label": f"{hour:02d}:00–{(hour + 1) % 24:02d}:00",
             "mean_vehicles_per_hour": round(mean, 1)} for n, (hour, mean) in enumerate(ranked)]


def predictions(*, hours: int = 6) -> dict:
    """Per measured segment, the expected flow, speed and level of each coming hour (weekday × hour profile)."""
    zone, start, out = city_zone(), utcnow(), []
    for seg in _segments(select(RoadSegment).where(RoadSegment.sensor_id.is_not(None)).order_by(RoadSegment.id)):
        flow = forecast.profile(_hourly([seg.sensor_id], "vehicle_count"), zone)
        speed = forecast.profile(_hourly([seg.sensor_id], "avg_speed_kmh"), zone)
        out.append({"segment_id": seg.id, "name": seg.name, "hours": [
            _predicted(seg, flow, speed, at, zone) for at in forecast.next_hours(start, hours)]})
    return {"hours": hours, "segments": out, "method": "weekday_hour_profile", "history_days": HISTORY_DAYS}


def _predicted(seg, flow, speed, at, zone) -> dict:
    vehicles, method = forecast.predict(flow, at, zone)
    kmh, _ = forecast.predict(speed, at, zone)
    return {"at": at, "vehicle_count": round(vehicles) if vehicles is not None else None,
            "speed_kmh": round(kmh, 1) if kmh is not None else None,
            "level": congestion_level(min(kmh, seg.free_flow_kmh) if kmh is not None else None, seg.free_flow_kmh),
            "method": method}


def get_junction(ref: str) -> Junction:
    """A junction by id or key; 404 junction_not_found."""
    junction = db.session.get(Junction, int(ref)) if str(ref).isdigit() else None
    junction = junction or db.session.scalar(select(Junction).where(Junction.key == str(ref)))
    if junction is None:
        raise JunctionNotFound()
    return junction


def list_junctions() -> list[Junction]:
    return list(db.session.scalars(select(Junction).order_by(Junction.id)))


def signal_plan(*, junction: str) -> dict:
    """Cycle length and green split per phase by Webster's method from each approach's recent flow."""
    j = get_junction(junction)
    approaches = list(db.session.scalars(select(JunctionApproach).where(JunctionApproach.junction_id == j.id)
                                         .order_by(JunctionApproach.phase, JunctionApproach.id)))
    minutes = current_app.config["SIGNAL_FLOW_WINDOW_MINUTES"]
    flows = _recent_flows(approaches, minutes)
    inputs = [webster.Approach(a.name, a.phase, flows.get(a.id) or 0.0, a.saturation_vph) for a in approaches]
    plan = webster.signal_plan(inputs, lost_time_per_phase_s=j.lost_time_per_phase_s)
    return {"junction": {"id": j.id, "key": j.key, "name": j.name}, "cycle_s": round(plan.cycle_s),
            "optimum_cycle_s": round(plan.optimum_cycle_s, 1) if plan.optimum_cycle_s else None,
            "lost_time_s": plan.lost_time_s, "flow_ratio_sum": round(plan.flow_ratio_sum, 3),
            "oversaturated": plan.oversaturated, "flow_window_minutes": minutes, "method": "webster",
            "approaches": [{"name": a.name, "phase": a.phase, "flow_vph": round(a.flow_vph),
                            "saturation_vph": a.saturation_vph, "measured": flows.get(x.id) is not None}
                           for a, x in zip(inputs, approaches, strict=True)],
            "phases": [{"phase": p.phase, "critical_approach": p.critical_approach,
                        "flow_ratio": round(p.flow_ratio, 3), "green_s": round(p.green_s, 1)} for p in plan.phases]}


def _recent_flows(approaches: list[JunctionApproach], minutes: int) -> dict[int, float]:
    segments = {s.id: s for s in _segments(select(RoadSegment).where(
        RoadSegment.id.in_([a.segment_id for a in approaches])))}
    end = utcnow()
    flows = {}
    for a in approaches:
        sensor_id = segments[a.segment_id].sensor_id
        series = zone_series(sensor_ids=[sensor_id], metric="vehicle_count", start=end - timedelta(minutes=minutes),
                             end=end, bucket="5m") if sensor_id else []
        counted = sum(p["count"] for p in series)
        if counted:
            flows[a.id] = sum(p["avg"] * p["count"] for p in series) / counted
    return flows
