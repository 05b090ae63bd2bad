"""Prometheus counters of the city ingest paths (they appear on /metrics with the request figures)."""

from __future__ import annotations

from prometheus_client import Counter

READINGS = Counter("sangam_city_readings_total", "City sensor readings received", ["path", "outcome"])
MQTT_MESSAGES = Counter("sangam_city_mqtt_messages_total", "MQTT messages consumed", ["outcome"])


def count_readings(path: str, accepted: int, rejected: int) -> None:
    """Add one batch's accepted and rejected readings to the counters."""
    if accepted:
        READINGS.labels(path, "accepted").inc(accepted)
    if rejected:
        READINGS.labels(path, "rejected").inc(rejected)
