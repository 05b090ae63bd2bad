"""Fixtures for the temples domain: a seeded temple and helpers."""

import os
from datetime import UTC, datetime, time, timedelta

import pytest
from freezegun import freeze_time

from app.core.timeutil import local_today, utcnow
from app.temples import bookings, service

# Every temples test starts from the same instant, so slot times, "today" and cut-offs never depend on when CI runs.
# 00:00 UTC is 05:30 in Asia/Kolkata: before the day's first darshan. SANGAM_TEST_CLOCK moves it for a robustness run.
START = datetime.fromisoformat(os.environ.get("SANGAM_TEST_CLOCK", "2026-03-09T00:00:00+00:00")).astimezone(UTC)


@pytest.fixture(autouse=True)
def frozen_clock():
    """The clock ticks from START (tick=True), so durations still pass; a test may refreeze it inside."""
    with freeze_time(START, tick=True) as clock:
        yield clock


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
    made = bookings.generate_slots(temple=temple, date_from=day, date_to=day + timedelta(days=1), start_time=time(0, 0),
                                   end_time=time(23, 59), slot_minutes=60, capacity=10)
    return next(s for s in made if s.starts_at > utcnow() + timedelta(hours=2, minutes=30))


@pytest.fixture
def today(temple):
    return local_today(temple.timezone)
