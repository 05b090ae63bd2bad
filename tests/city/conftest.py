"""City fixtures: a frozen clock, sensors bound to device keys, and a helper that ingests readings."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
from freezegun import freeze_time

import app.city.models  # noqa: F401 - the session must know the city tables
from app.auth import service as auth_service
from app.city import service

# Monday 09 March 2026, 00:00 UTC = 05:30 in Asia/Kolkata
START = datetime.fromisoformat(os.environ.get("SANGAM_TEST_CLOCK", "2026-03-09T00:00:00+00:00")).astimezone(UTC)


@pytest.fixture(autouse=True)
def frozen_clock():
    with freeze_time(START, tick=True) as clock:
        yield clock


@pytest.fixture(autouse=True)
def aqi_every_batch(app, monkeypatch):
    """Evaluate AQI on every batch (production throttles to once a minute per zone; tested on its own)."""
    monkeypatch.setitem(app.config, "AQI_EVALUATE_SECONDS", 0)


@pytest.fixture
def device():
    """device() -> (device, raw key) of a new device of kind sensor."""

    def _make(name: str = "gateway"):
        return auth_service.create_device(name=name, kind="sensor")

    return _make


@pytest.fixture
def make_sensor(device):
    """make_sensor("air", zone="somnath") -> a sensor bound to a new device (or to ``device_id``)."""

    def _make(kind: str = "air", zone: str = "somnath", *, device_id: int | None = None, unbound: bool = False,
              name: str | None = None, lat: float = 20.8880, lng: float = 70.4013):
        if device_id is None and not unbound:
            device_id = auth_service.create_device(name=f"{kind} device", kind="sensor")[0].id
        return service.create_sensor(kind=kind, name=name or f"{kind} sensor", lat=lat, lng=lng, zone=zone,
                                     device_id=device_id)

    return _make


@pytest.fixture
def ingest():
    """ingest(sensor, [(metric, value, at), ...]) -> the ingest result, as the sensor's device."""

    def _ingest(sensor, readings):
        rows = [{"sensor_id": sensor.id, "metric": m, "value": v, "at": at.isoformat()} for m, v, at in readings]
        return service.ingest_readings(device_id=sensor.device_id, readings=rows)

    return _ingest


def hours_ago(n: float) -> datetime:
    from app.core.timeutil import utcnow

    return utcnow() - timedelta(hours=n)
