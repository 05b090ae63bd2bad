"""City factories: sensor devices, sensors bound to them, bins and feeders."""

from __future__ import annotations

import hashlib
import secrets

import factory

from app.auth.models import Device
from app.city.models import Feeder, Sensor, WasteBin
from app.core.timeutil import utcnow
from tests.factories import Base


class SensorDeviceFactory(Base):
    """An active auth device of kind ``sensor`` (its key is unknown: use the ``device_key`` fixture to send)."""

    class Meta:
        model = Device

    name = factory.Sequence(lambda n: f"city gateway {n}")
    kind = "sensor"
    key_prefix = "sk_factory"
    key_hash = factory.LazyFunction(lambda: hashlib.sha256(secrets.token_bytes(32)).hexdigest())
    is_active = True


class SensorFactory(Base):
    """An air sensor in Somnath bound to a new sensor device (``device_id=None``: unbound)."""

    class Meta:
        model = Sensor

    kind = "air"
    name = factory.Sequence(lambda n: f"Somnath sensor {n}")
    lat, lng = 20.8880, 70.4013
    zone = "somnath"
    device_id = factory.LazyFunction(lambda: SensorDeviceFactory().id)
    is_active = True
    created_at = factory.LazyFunction(utcnow)


class WasteBinFactory(Base):
    """A 240-litre mixed-waste bin near the Somnath gate."""

    class Meta:
        model = WasteBin

    name = factory.Sequence(lambda n: f"Gate bin {n}")
    lat, lng = 20.8869, 70.4016
    zone = "somnath"
    capacity_l = 240
    stream = "mixed"
    fill_pct = 0.0
    needs_collection = False


class FeederFactory(Base):
    """An 11 kV feeder of 1 MW, unmetered unless given a sensor."""

    class Meta:
        model = Feeder

    key = factory.Sequence(lambda n: f"feeder-{n}")
    name = factory.Sequence(lambda n: f"Veraval feeder {n}")
    zone = "somnath"
    lat, lng = 20.8870, 70.4010
    capacity_kw = 1000.0
    overloaded = False
