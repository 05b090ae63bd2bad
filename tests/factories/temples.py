"""Temples factories: temples with zones, darshan slots, bookings."""

from __future__ import annotations

from datetime import timedelta

import factory

from app.core.timeutil import utcnow
from app.extensions import db
from app.temples.models import Booking, DarshanSlot, Release, Temple, Zone
from tests.factories import Base, UserFactory


class TempleFactory(Base):
    class Meta:
        model = Temple

    slug = factory.Sequence(lambda n: f"temple{n}")
    name = factory.LazyAttribute(lambda o: f"Shree {o.slug.title()}")
    location = "Veraval"
    lat, lng = 20.8880, 70.4013
    timezone = "Asia/Kolkata"
    code_prefix = "TMP"


class ZoneFactory(Base):
    class Meta:
        model = Zone

    temple = factory.SubFactory(TempleFactory)
    slug = factory.Sequence(lambda n: f"zone{n}")
    name = factory.LazyAttribute(lambda o: o.slug.title())
    capacity = 100


class SlotFactory(Base):
    """An open darshan slot starting in two hours (one hour long)."""

    class Meta:
        model = DarshanSlot

    temple = factory.SubFactory(TempleFactory)
    starts_at = factory.LazyFunction(lambda: utcnow().replace(microsecond=0) + timedelta(hours=2))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))
    capacity = 10
    booked = 0
    status = "open"


class BookingFactory(Base):
    """A confirmed booking of a new pilgrim (or ``user_id=``); its seats are taken on the slot."""

    class Meta:
        model = Booking

    user_id = factory.LazyFunction(lambda: UserFactory().id)
    slot = factory.SubFactory(SlotFactory)
    code = factory.Sequence(lambda n: f"TMP-{n:06d}")
    party_size = 2
    status = "confirmed"
    created_at = factory.LazyFunction(utcnow)

    @factory.post_generation
    def take_seats(obj, _create, _extracted, **_kwargs):  # noqa: N805 - factory_boy hook
        obj.slot.booked += obj.party_size


class ReleaseFactory(Base):
    """A queued quota release of new slots (``slots=[…]`` to choose them), open from now, two bookings a person."""

    class Meta:
        model = Release

    temple = factory.SubFactory(TempleFactory)
    name = "Mahashivratri quota"
    opens_at = factory.LazyFunction(lambda: utcnow().replace(microsecond=0))
    queued = True
    per_person_limit = 2
    status = "scheduled"
    created_at = factory.LazyFunction(utcnow)

    @factory.post_generation
    def slots(obj, create, extracted, **_kwargs):  # noqa: N805 - factory_boy hook
        if extracted is None:
            start = utcnow().replace(microsecond=0) + timedelta(hours=3)
            extracted = [SlotFactory(temple=obj.temple, starts_at=start + timedelta(hours=i)) for i in range(2)]
        for slot in extracted:
            slot.release_id = obj.id
        if create:
            db.session.commit()
            db.session.expire(obj, ["slots"])
