"""Demo data for the city domain: sensors around the four temple towns with a week of plausible readings,
road graphs with signalised junctions, bins and feeders.

Readings follow the day: traffic and PM peak at the morning and evening aartis, ozone and solar at
midday, temperature in the afternoon; bins fill up between collections. They go through the ingest
service in batches of 5 000 (one COPY each on PostgreSQL). Idempotent: a town already seeded is kept.
"""

from __future__ import annotations

import math
import random
from datetime import timedelta

from sqlalchemy import select

from app.auth import service as auth_service
from app.city import service
from app.city.demo_places import FEEDERS, JUNCTIONS, NODES, SEGMENTS, TOWNS
from app.city.models import Sensor
from app.city.service import network
from app.core.timeutil import to_local, utcnow
from app.extensions import db

DAYS, STEP_MIN, BATCH = 7, 15, 5000
DIRT = {"somnath": 0.9, "dwarka": 1.0, "ambaji": 1.7, "pavagadh": 1.2}  # Ambaji's hill road dust


def _peaks(hour: float) -> float:
    """0–1: the morning (08–09) and evening (19–20) rush around darshan and aarti."""
    return min(1.0, math.exp(-((hour - 8.5) ** 2) / 3) + 0.9 * math.exp(-((hour - 19.5) ** 2) / 3))


def _sun(hour: float) -> float:
    return max(0.0, math.sin((hour - 6.5) / 12 * math.pi))


def _air(hour: float, rng: random.Random, dirt: float) -> dict[str, float]:
    rush, sun = _peaks(hour), _sun(hour)
    pm25 = dirt * (28 + 30 * rush + 8 * (hour < 6)) + rng.uniform(-4, 4)
    return {"pm25": pm25, "pm10": pm25 * 1.8 + rng.uniform(-5, 5), "no2": 18 + 22 * rush + rng.uniform(-3, 3),
            "so2": 9 + 4 * rush + rng.uniform(-1, 1), "co": 0.5 + 0.9 * rush + rng.uniform(-0.1, 0.1),
            "o3": 18 + 55 * sun + rng.uniform(-5, 5), "nh3": 22 + 8 * rush + rng.uniform(-3, 3),
            "temperature": 23 + 8 * math.sin((hour - 9) / 24 * 2 * math.pi), "humidity": 72 - 18 * sun}


def _values(kind: str, hour: float, rng: random.Random, extra: dict) -> dict[str, float]:
    rush = _peaks(hour)
    if kind == "air":
        return _air(hour, rng, extra.get("dirt", 1.0))
    if kind == "noise":
        return {"noise_db": (44 if hour < 6 or hour >= 22 else 52) + 14 * rush + rng.uniform(-2, 2)}
    if kind == "weather":
        return {k: _air(hour, rng, 1)[k] + rng.uniform(-0.5, 0.5) for k in ("temperature", "humidity")}
    if kind == "traffic":
        free = extra["free_flow"]
        return {"vehicle_count": 120 + 1100 * rush * extra.get("busy", 1) + rng.uniform(-40, 40),
                "avg_speed_kmh": max(3.0, free * (1 - 0.7 * rush * extra.get("busy", 1)) + rng.uniform(-2, 2))}
    if kind == "energy_meter":
        share = 0.3 + (extra["peak_share"] - 0.3) * max(rush, 0.6 * _sun(hour))
        kw = extra["capacity"] * share + rng.uniform(-20, 20)
        return {"power_kw": kw, "energy_kwh": kw * STEP_MIN / 60, "solar_kw": extra["solar"] * _sun(hour)}
    return {}


def _fill(step: int, rng_offset: float, rate: float) -> float:
    """A saw-tooth: a bin fills at ``rate`` % per hour and is emptied every three days."""
    hours = (step * STEP_MIN / 60 + rng_offset) % 72
    return min(100.0, hours * rate)


def _week_of_readings(sensors: list[tuple[Sensor, dict]], seed: int) -> list[dict]:
    rng, now = random.Random(seed), utcnow().replace(second=0, microsecond=0)
    steps = DAYS * 24 * 60 // STEP_MIN
    readings = []
    for n in range(steps, 0, -1):
        at = now - timedelta(minutes=STEP_MIN * n)
        local = to_local(at)
        hour = local.hour + local.minute / 60
        for sensor, extra in sensors:
            if sensor.kind == "waste_bin":
                values = {"fill_pct": _fill(steps - n, extra["offset"], extra["rate"])}
            else:
                values = _values(sensor.kind, hour, rng, extra)
            readings += [{"sensor_id": sensor.id, "metric": m, "value": round(max(0.0, v), 2), "at": at.isoformat()}
                         for m, v in values.items()]
    return readings


def _sensor(kind: str, name: str, zone: str, lat: float, lng: float, device_id: int) -> Sensor:
    existing = db.session.scalar(select(Sensor).where(Sensor.zone == zone, Sensor.name == name))
    return existing or service.create_sensor(kind=kind, name=name, lat=lat, lng=lng, zone=zone, device_id=device_id)


def _roads(zone: str, device_id: int) -> list[tuple[Sensor, dict]]:
    measured = []
    for key, name, lat, lng in NODES[zone]:
        network.add_node(key=key, name=name, lat=lat, lng=lng)
    nodes = {k: (la, lo) for k, _n, la, lo in NODES[zone]}
    for key, name, a, b, free, lanes, has_sensor in SEGMENTS[zone]:
        sensor = None
        if has_sensor:
            mid = ((nodes[a][0] + nodes[b][0]) / 2, (nodes[a][1] + nodes[b][1]) / 2)
            sensor = _sensor("traffic", f"{name} counter", zone, *mid, device_id)
            measured.append((sensor, {"free_flow": free, "busy": 1.15 if "Temple" in name else 0.8}))
        network.add_segment(key=key, name=name, from_key=a, to_key=b, free_flow_kmh=free, zone=zone, lanes=lanes,
                            sensor_id=sensor.id if sensor else None)
    for key, name, node, lost, approaches in JUNCTIONS:
        if key.startswith(NODES[zone][0][0][:3]):
            network.add_junction(key=key, name=name, node_key=node, lost_time_per_phase_s=lost,
                                 approaches=[{"name": n, "phase": p, "segment_key": s, "saturation_vph": sat}
                                             for n, p, s, sat in approaches])
    return measured


def _town(zone: str, index: int) -> list[tuple[Sensor, dict]]:
    town = TOWNS[zone]
    lat, lng = town["lat"], town["lng"]
    device, _key = auth_service.create_device(name=f"{town['name']} city gateway", kind="sensor")
    sensors = [(_sensor("air", f"{town['name']} air station {n + 1}", zone, lat + d, lng - d, device.id),
                {"dirt": DIRT[zone] + 0.1 * n}) for n, d in enumerate((0.002, -0.004))]
    sensors.append((_sensor("noise", f"{town['name']} temple noise monitor", zone, lat + 0.0006, lng, device.id), {}))
    sensors.append((_sensor("weather", f"{town['name']} weather station", zone, lat - 0.003, lng + 0.002,
                            device.id), {}))
    sensors += _roads(zone, device.id)
    rng = random.Random(index)
    for n in range(8):
        b_lat, b_lng = lat + rng.uniform(-0.006, 0.006), lng + rng.uniform(-0.006, 0.006)
        meter = _sensor("waste_bin", f"{town['name']} bin {n + 1}", zone, b_lat, b_lng, device.id)
        service.create_bin(name=f"{town['name']} bin {n + 1}", lat=b_lat, lng=b_lng, zone=zone,
                           capacity_l=660 if n % 3 == 0 else 240, stream=("mixed", "recyclable", "organic")[n % 3],
                           sensor_id=meter.id)
        sensors.append((meter, {"offset": rng.uniform(0, 72), "rate": rng.uniform(0.9, 1.6)}))
    for n, (suffix, title, capacity, solar, peak) in enumerate(FEEDERS):
        meter = _sensor("energy_meter", f"{town['name']} {title} meter", zone, lat + 0.004 * n, lng + 0.003, device.id)
        service.create_feeder(key=f"{zone}-{suffix}", name=f"{town['name']} {title}", zone=zone, lat=lat + 0.004 * n,
                              lng=lng + 0.003, capacity_kw=capacity, sensor_id=meter.id)
        sensors.append((meter, {"capacity": capacity, "solar": solar, "peak_share": peak}))
    return sensors


def _festival_evening(sensors: list[tuple[Sensor, dict]]) -> None:
    """Somnath right now: a procession jams the temple road and the temple feeder runs hot."""
    now = utcnow().isoformat()
    by_name = {sensor.name: sensor for sensor, _extra in sensors}
    road, meter = by_name["Temple road counter"], by_name["Somnath – Veraval temple complex 11 kV feeder meter"]
    service.ingest_readings(device_id=road.device_id, readings=[
        {"sensor_id": road.id, "metric": "avg_speed_kmh", "value": 5.5, "at": now},
        {"sensor_id": road.id, "metric": "vehicle_count", "value": 1450, "at": now},
        {"sensor_id": meter.id, "metric": "power_kw", "value": 2150, "at": now},
        {"sensor_id": meter.id, "metric": "solar_kw", "value": 60, "at": now}], path="seed")
    segment = next(s for s in service.congestion(zone="somnath")["segments"] if s["key"] == "som-temple-road")
    service.report_incident(kind="procession", severity="high", segment_id=segment["id"],
                            description="Palkhi procession from the temple gate; expect delays for an hour.")


def seed_demo() -> None:
    """Sensors, a week of readings, roads, bins and feeders for each temple town not seeded yet."""
    for index, zone in enumerate(TOWNS):
        if network.node_by_key(NODES[zone][0][0]) is not None:
            continue
        sensors = _town(zone, index)
        readings = _week_of_readings(sensors, seed=index)
        device_id = sensors[0][0].device_id
        for start in range(0, len(readings), BATCH):
            service.ingest_readings(device_id=device_id, readings=readings[start:start + BATCH], path="seed")
        if zone == "somnath":
            _festival_evening(sensors)
