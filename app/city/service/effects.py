"""What fresh readings move in each module; called by ingest inside its unit of work."""

from __future__ import annotations

from app.city.models import Sensor


def react(touched: dict[str, set[int]], sensors: dict[int, Sensor]) -> None:
    """Let each module refresh what its sensors' new readings change (and publish the live events)."""
    from app.city.service import energy, environment, traffic, waste

    if touched.get("air"):
        environment.evaluate_zones(zones={sensors[i].zone for i in touched["air"]})
    if touched.get("traffic"):
        traffic.refresh_segments(sensor_ids=touched["traffic"])
    if touched.get("waste_bin"):
        waste.refresh_bins(sensor_ids=touched["waste_bin"])
    if touched.get("energy_meter"):
        energy.refresh_feeders(sensor_ids=touched["energy_meter"])
