"""City fixtures: a frozen clock, sensors bound to device keys, and a helper that ingests readings."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app.auth import service as auth_service
from app.city import service
from tests.conftest import START  # noqa: F401 - Monday 09 March 2026, 00:00 UTC = 05:30 in Asia/Kolkata
from tests.factories.city import SensorDeviceFactory, SensorFactory


@pytest.fixture(autouse=True)
def frozen_clock(clock):
    """Every city test runs on the one test clock (tests/conftest.py)."""
    return clock


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
            device_id = SensorDeviceFactory().id
        return SensorFactory(kind=kind, zone=zone, device_id=device_id, lat=lat, lng=lng,
                             **({"name": name} if name else {}))

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
