"""Fixtures for the temples domain: a seeded temple and helpers; every test runs on the frozen clock."""

from datetime import time, timedelta

import pytest

from app.core.timeutil import local_today, utcnow
from app.temples import service


@pytest.fixture(autouse=True)
def _frozen(clock):
    """Every temples test starts from the same instant (the root ``clock``)."""
    return clock


@pytest.fixture
def temple(app):
    return service.create_temple(slug="somnath", name="Shree Somnath", location="Veraval", lat=20.8880, lng=70.4013,
                                 code_prefix="SOM", zones=[{"slug": "mainDarshan", "name": "Main", "capacity": 100},
                                                           {"slug": "garbhaGriha", "name": "Garbha griha",
                                                            "capacity": 20}])


@pytest.fixture
def slot(temple):
    """An open slot later today (or tomorrow morning when it is late), capacity 10."""
    day = local_today(temple.timezone)
    made = service.generate_slots(temple_slug=temple.slug, date_from=day, date_to=day + timedelta(days=1),
                                  start_time=time(0, 0), end_time=time(23, 59), slot_minutes=60, capacity=10)
    return next(s for s in made if s.starts_at > utcnow() + timedelta(hours=2, minutes=30))


@pytest.fixture
def today(temple):
    return local_today(temple.timezone)


@pytest.fixture
def queue(app, monkeypatch):
    """The release queue store (Redis with REDIS_URL, else in-process), empty; admission is stepped by the test."""
    from app.temples.service.queue_store import queue_store

    monkeypatch.setitem(app.config, "RELEASE_ADMITTER", "manual")
    store = queue_store()
    store.clear()
    yield store
    store.clear()


@pytest.fixture
def release_slots(temple, slot):
    """Three open slots after ``slot`` (capacity 10 each), for a quota release."""
    day = local_today(temple.timezone)
    rows = service.slots_for_day(temple_slug=temple.slug, day=day) + service.slots_for_day(
        temple_slug=temple.slug, day=day + timedelta(days=1))
    later = [service.get_slot(row["id"]) for row in rows]
    return [s for s in later if s.starts_at > slot.starts_at][:3]
