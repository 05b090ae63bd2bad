"""Celery tasks of the city domain (beat entries are declared in app/city/__init__.py)."""

from __future__ import annotations

from app.city import service
from app.extensions import celery


@celery.task(name="tasks.city.roll_up_readings", acks_late=True)
def roll_up_readings() -> dict:
    """Roll raw readings past retention up into hourly rows (idempotent)."""
    moved = service.roll_up_expired()
    return {"readings": moved["readings"], "hours": moved["hours"]}


@celery.task(name="tasks.city.evaluate_air_quality", acks_late=True)
def evaluate_air_quality() -> int:
    """Re-evaluate every zone's AQI (a category may also change as old readings leave the window)."""
    zones = set(service.air_zones())
    service.evaluate_zones(zones=zones, force=True)
    return len(zones)
