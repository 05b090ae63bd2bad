"""What a city sensor may measure: metric names, units, plausible ranges and which kinds report them.

Names follow the FIWARE Smart Data Models where one exists (``AirQualityObserved``: ``pm25``,
``pm10``, ``no2``, ``so2``, ``co``, ``o3``, ``nh3``, ``temperature``; ``TrafficFlowObserved``:
``intensity`` → ``vehicle_count``, ``averageVehicleSpeed`` → ``avg_speed_kmh``; ``WasteContainer``:
``fillingLevel`` → ``fill_pct``; ``EnergyMeter``/``ThreePhaseMeasurement``: active power and energy),
in the short snake-case form the API uses. Units are those of India's CPCB tables (CO in mg/m³,
the other gases and particles in µg/m³), so the AQI reads values as they arrive.

A value outside its plausible range is a faulty sensor or a wrong unit, never weather: it is
refused (one reading at a time), not stored.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("traffic", "air", "noise", "weather", "waste_bin", "energy_meter")
INCIDENT_KINDS = ("accident", "breakdown", "roadwork", "congestion", "procession", "flooding", "other")
INCIDENT_SEVERITIES = ("low", "medium", "high", "critical")


@dataclass(frozen=True)
class Metric:
    name: str
    unit: str
    low: float
    high: float
    kinds: tuple[str, ...]
    title: str


_AIR = ("air",)
METRICS: dict[str, Metric] = {m.name: m for m in (
    Metric("pm25", "µg/m³", 0, 1000, _AIR, "PM2.5"),
    Metric("pm10", "µg/m³", 0, 2000, _AIR, "PM10"),
    Metric("no2", "µg/m³", 0, 2000, _AIR, "Nitrogen dioxide"),
    Metric("so2", "µg/m³", 0, 4000, _AIR, "Sulphur dioxide"),
    Metric("co", "mg/m³", 0, 100, _AIR, "Carbon monoxide"),
    Metric("o3", "µg/m³", 0, 1500, _AIR, "Ozone"),
    Metric("nh3", "µg/m³", 0, 4000, _AIR, "Ammonia"),
    Metric("noise_db", "dB(A)", 20, 140, ("noise",), "Noise level (LAeq)"),
    Metric("temperature", "°C", -20, 60, ("weather", "air", "waste_bin"), "Air temperature"),
    Metric("humidity", "%", 0, 100, ("weather", "air"), "Relative humidity"),
    # an hourly rate (vehicles/h) whatever the sensor's counting interval, so flows compare
    Metric("vehicle_count", "veh/h", 0, 10000, ("traffic",), "Traffic flow"),
    Metric("avg_speed_kmh", "km/h", 0, 200, ("traffic",), "Average vehicle speed"),
    Metric("fill_pct", "%", 0, 100, ("waste_bin",), "Bin filling level"),
    Metric("power_kw", "kW", 0, 100000, ("energy_meter",), "Active power (demand)"),
    # energy delivered during the metering interval (not a cumulative register)
    Metric("energy_kwh", "kWh", 0, 100000, ("energy_meter",), "Energy in the interval"),
    Metric("solar_kw", "kW", 0, 100000, ("energy_meter",), "Rooftop solar output"),
)}
POLLUTANTS = ("pm25", "pm10", "no2", "so2", "co", "o3", "nh3")


def metrics_for(kind: str) -> tuple[str, ...]:
    """Metric names a sensor of this kind may report."""
    return tuple(name for name, m in METRICS.items() if kind in m.kinds)


def catalogue() -> list[dict]:
    """The catalogue as JSON (documented on /city/metrics)."""
    return [{"name": m.name, "title": m.title, "unit": m.unit, "min": m.low, "max": m.high, "kinds": list(m.kinds)}
            for m in METRICS.values()]
