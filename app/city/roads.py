"""Fastest paths over the town's road graph, weighted by live speeds (networkx Dijkstra).

Each segment is an edge whose travel time is ``length / speed``: the live speed its traffic sensor
reports (never above free flow), slowed by open incidents on it; a closed segment is left out.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from app.core.geo import haversine_m

MIN_SPEED_KMH = 3.0  # walking pace: a jammed road is slow, not impassable


@dataclass(frozen=True)
class Edge:
    segment_id: int
    name: str
    from_node: int
    to_node: int
    length_m: float
    speed_kmh: float | None  # None = closed
    oneway: bool


def build_graph(edges: list[Edge]) -> nx.DiGraph:
    """A directed graph of the open segments, weighted by seconds of travel."""
    graph = nx.DiGraph()
    for e in edges:
        if e.speed_kmh is None:
            continue
        seconds = e.length_m / (max(e.speed_kmh, MIN_SPEED_KMH) / 3.6)
        pairs = [(e.from_node, e.to_node)] + ([] if e.oneway else [(e.to_node, e.from_node)])
        for a, b in pairs:
            if not graph.has_edge(a, b) or graph[a][b]["seconds"] > seconds:
                graph.add_edge(a, b, seconds=seconds, edge=e)
    return graph


def nearest_node(nodes: dict[int, tuple[float, float]], lat: float, lng: float) -> tuple[int, float]:
    """The node closest to a point and its distance in metres."""
    node_id = min(nodes, key=lambda n: haversine_m(lat, lng, *nodes[n]))
    return node_id, haversine_m(lat, lng, *nodes[node_id])


def fastest_path(graph: nx.DiGraph, source: int, target: int) -> list[tuple[int, int, Edge]] | None:
    """The legs (from node, to node, segment) of the fastest path, in order; None when not connected."""
    if source == target:
        return []
    try:
        path = nx.dijkstra_path(graph, source, target, weight="seconds")
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return None
    return [(a, b, graph[a][b]["edge"]) for a, b in zip(path, path[1:], strict=False)]


def travel_seconds(edge: Edge) -> float:
    return edge.length_m / (max(edge.speed_kmh or MIN_SPEED_KMH, MIN_SPEED_KMH) / 3.6)
