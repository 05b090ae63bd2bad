"""Parking factories: lots with their numbered spots."""

from __future__ import annotations

from decimal import Decimal

import factory

from app.core.timeutil import utcnow
from app.extensions import db
from app.parking.models import FREE, ParkingLot, ParkingSpot
from tests.factories import Base


class LotFactory(Base):
    """An open lot with ``total_spots`` free spots numbered from 1."""

    class Meta:
        model = ParkingLot

    name = factory.Sequence(lambda n: f"Temple Parking {n}")
    address = "Somnath Temple Road, Veraval"
    pin_code = "362268"
    price_per_hour = Decimal("30.00")
    total_spots = 3
    lat, lng = 20.8873, 70.4030
    created_at = factory.LazyFunction(utcnow)

    @factory.post_generation
    def spots(obj, _create, _extracted, **_kwargs):  # noqa: N805 - factory_boy hook
        db.session.add_all(ParkingSpot(lot_id=obj.id, number=n, status=FREE) for n in range(1, obj.total_spots + 1))
        db.session.commit()
