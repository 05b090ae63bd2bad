"""Capacitated vehicle routing for bin collection, solved by VROOM (pyvroom).

Stops are bins with the litres to pick up; every vehicle starts and ends at the depot. Distances are
great-circle metres times a road detour factor (no road network is needed for the town's streets),
durations follow at the truck's mean speed. When the bins hold more than one round of all vehicles
can carry, each vehicle makes further trips (``trip`` 2, 3, …). A bin larger than a whole truck cannot
be served and is reported, never silently dropped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
import vroom

from app.core.geo import haversine_m

DETOUR_FACTOR = 1.3


@dataclass(frozen=True)
class Stop:
    bin_id: int
    lat: float
    lng: float
    load_l: int


@dataclass(frozen=True)
class Route:
    vehicle: int
    trip: int
    stops: list[int]
    distance_m: int
    duration_s: int
    load_l: int


@dataclass(frozen=True)
class Plan:
    routes: list[Route]
    unassigned: list[dict]


def distance_matrix(points: list[tuple[float, float]]) -> np.ndarray:
    """Road-estimated metres between every pair of points."""
    n = len(points)
    out = np.zeros((n, n), dtype="uint32")
    for i in range(n):
        for j in range(i + 1, n):
            out[i, j] = out[j, i] = int(haversine_m(*points[i], *points[j]) * DETOUR_FACTOR)
    return out


def _input(depot, stops, vehicles, capacity_l, trips, speed_kmh) -> vroom.Input:
    metres = distance_matrix([depot] + [(s.lat, s.lng) for s in stops])
    problem = vroom.Input()
    problem.set_distances_matrix("car", metres)
    problem.set_durations_matrix("car", (metres / (speed_kmh / 3.6)).astype("uint32"))
    problem.add_vehicle([vroom.Vehicle(n + 1, start=0, end=0, capacity=[capacity_l])
                         for n in range(vehicles * trips)])
    problem.add_job([vroom.Job(s.bin_id, location=i + 1, pickup=[s.load_l]) for i, s in enumerate(stops)])
    return problem


def plan_routes(*, depot: tuple[float, float], stops: list[Stop], vehicles: int, capacity_l: int,
                speed_kmh: float = 20.0, timeout_s: float = 0.6, exploration: int = 2) -> Plan:
    """Routes that visit every servable stop once, each vehicle's load within its capacity."""
    too_big = [{"bin_id": s.bin_id, "reason": "larger_than_vehicle", "load_l": s.load_l}
               for s in stops if s.load_l > capacity_l]
    servable = [s for s in stops if s.load_l <= capacity_l]
    if not servable:
        return Plan([], too_big)
    trips = max(1, math.ceil(sum(s.load_l for s in servable) / (vehicles * capacity_l * 0.9)))
    problem = _input(depot, servable, vehicles, capacity_l, trips, speed_kmh)
    solution = problem.solve(exploration_level=exploration, nb_threads=2, timeout=timedelta(seconds=timeout_s))
    result = solution.to_dict()
    routes = [_route(r, vehicles) for r in result["routes"] if any(st["type"] == "job" for st in r["steps"])]
    left = [{"bin_id": u["id"], "reason": "no_capacity"} for u in result.get("unassigned", [])]
    return Plan(sorted(routes, key=lambda r: (r.trip, r.vehicle)), too_big + left)


def _route(raw: dict, vehicles: int) -> Route:
    index = raw["vehicle"] - 1
    jobs = [st["id"] for st in raw["steps"] if st["type"] == "job"]
    return Route(vehicle=index % vehicles + 1, trip=index // vehicles + 1, stops=jobs,
                 distance_m=int(raw.get("distance", 0)), duration_s=int(raw.get("duration", 0)),
                 load_l=int(raw["pickup"][0]))
