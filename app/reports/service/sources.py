"""Live sources of the dashboards' map and heat-map widgets, read through other domains' ``service`` modules.

A map source returns ``{"points": [{id, label, lat, lng, level, value, unit, …}]}`` (``level``: low,
moderate, high, critical for crowds and lots; the incident severity; the CPCB category with its colour);
a heat-map source returns ``{"grids": [{title, rows: [...], columns: [...], values: [[…]], vmax}]}``.
Each function returns ``(title, data)``.
"""

from __future__ import annotations

from collections.abc import Callable


def temples_crowd_map() -> tuple[str, dict]:
    """Each temple at its coordinates with its overall crowd level and its zones' levels."""
    from app.temples import service as temples

    points = []
    for temple in temples.list_temples():
        state = temples.current_crowd(temple_slug=temple.slug)
        overall = state["overall"]
        zones = [{k: z[k] for k in ("zone", "name", "count", "capacity", "density_pct", "level")}
                 for z in state["zones"]]
        points.append({"id": temple.slug, "label": temple.name, "lat": temple.lat, "lng": temple.lng,
                       "level": overall["level"], "value": overall["density_pct"], "unit": "%",
                       "count": overall["count"], "capacity": overall["capacity"], "zones": zones,
                       "at": state["at"]})
    return "Crowds at the temples", {"points": points}


def temples_crowd_heatmap() -> tuple[str, dict]:
    """Today's mean density (%) per zone and local hour, one grid per temple."""
    from app.temples import service as temples

    grids = []
    for temple in temples.list_temples():
        data = temples.heatmap(temple_slug=temple.slug)
        grids.append({"title": temple.name, "date": data["date"], "rows": [z["zone"] for z in data["zones"]],
                      "columns": data["hours"], "values": [z["density_pct"] for z in data["zones"]], "vmax": 100})
    return "Crowd density by hour", {"grids": grids, "unit": "% of capacity"}


def parking_lots_map() -> tuple[str, dict]:
    """Each open lot with its occupancy."""
    from app.parking import service as parking

    points = []
    for lot in parking.list_lots():
        total, free = lot["total_spots"], lot["available_spots"]
        pct = round(100 * (total - free) / total, 1) if total else 0.0
        level = "critical" if free == 0 else "high" if pct >= 80 else "moderate" if pct >= 50 else "low"
        points.append({"id": lot["id"], "label": lot["name"], "lat": lot["lat"], "lng": lot["lng"], "level": level,
                       "value": pct, "unit": "%", "total_spots": total, "available_spots": free})
    return "Parking occupancy", {"points": points}


def open_incidents_map() -> tuple[str, dict]:
    """Open incidents with a position, most severe first."""
    from app.safety import service as safety

    points = [{"id": i.code, "label": i.title, "lat": i.lat, "lng": i.lng, "level": i.severity, "value": None,
               "type": i.type, "status": i.status, "temple": i.temple, "zone": i.zone, "reported_at": i.reported_at}
              for i in safety.active_incidents() if i.lat is not None and i.lng is not None]
    return "Open incidents", {"points": points}


def city_aqi_map() -> tuple[str, dict]:
    """Each air zone's AQI now, placed at the mean position of its air sensors."""
    from app.city import service as city
    from app.extensions import db

    points = []
    for zone in city.air_quality_overview():
        sensors = list(db.session.scalars(city.list_sensors(kind="air", zone=zone["zone"])))
        lat = sum(s.lat for s in sensors) / len(sensors) if sensors else None
        lng = sum(s.lng for s in sensors) / len(sensors) if sensors else None
        points.append({"id": zone["zone"], "label": zone["zone"], "lat": lat, "lng": lng,
                       "level": zone["category"], "colour": zone["colour"], "value": zone["aqi"], "unit": "AQI",
                       "dominant_pollutant": zone["dominant_pollutant"]})
    return "Air quality (CPCB AQI)", {"points": points}


LIVE: dict[str, dict[str, Callable[[], tuple[str, dict]]]] = {
    "map": {"temples.crowd": temples_crowd_map, "parking.lots": parking_lots_map,
            "safety.incidents.open": open_incidents_map, "city.aqi": city_aqi_map},
    "heatmap": {"temples.crowd": temples_crowd_heatmap},
}


def live_sources(kind: str) -> dict[str, Callable[[], tuple[str, dict]]]:
    """The named sources of a map or heat-map widget."""
    return LIVE.get(kind, {})
