"""Series bucketed in SQL, and the idempotent retention roll-up.  # SC-8"""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.city import service
from app.city.models import Reading, ReadingHour
from app.core.errors import ValidationFailed
from app.extensions import db
from tests.city.conftest import START


def at(hh: int, mm: int = 0, day: int = 0) -> datetime:
    return START - timedelta(days=1 - day) + timedelta(hours=hh, minutes=mm)


@pytest.fixture
def sensor(make_sensor, ingest):
    s = make_sensor("weather")
    ingest(s, [("temperature", 20, at(10, 1)), ("temperature", 24, at(10, 4)), ("temperature", 30, at(10, 7)),
               ("temperature", 16, at(11, 30)), ("humidity", 70, at(10, 2))])
    return s


def test_raw_series(sensor):
    points = service.sensor_series(sensor_id=sensor.id, metric="temperature", start=at(10), end=at(12), bucket="raw")
    assert [(p["at"], p["avg"], p["count"]) for p in points] == [(at(10, 1), 20, 1), (at(10, 4), 24, 1),
                                                                (at(10, 7), 30, 1), (at(11, 30), 16, 1)]


def test_five_minute_buckets(sensor):
    points = service.sensor_series(sensor_id=sensor.id, metric="temperature", start=at(10), end=at(12), bucket="5m")
    assert [(p["at"], p["avg"], p["min"], p["max"], p["count"]) for p in points] == [
        (at(10, 0), 22.0, 20, 24, 2), (at(10, 5), 30.0, 30, 30, 1), (at(11, 30), 16.0, 16, 16, 1)]


def test_hourly_and_daily_buckets(sensor):
    hourly = service.sensor_series(sensor_id=sensor.id, metric="temperature", start=at(0), end=at(23), bucket="1h")
    assert [(p["at"], p["avg"], p["min"], p["max"], p["count"]) for p in hourly] == [
        (at(10), 24.667, 20, 30, 3), (at(11), 16.0, 16, 16, 1)]
    daily = service.sensor_series(sensor_id=sensor.id, metric="temperature", start=at(0, day=-2), end=at(23),
                                  bucket="1d")
    # one local day (Asia/Kolkata midnight is 18:30 UTC the day before)
    assert [(p["at"], p["count"], p["avg"]) for p in daily] == [(at(18, 30, day=-1), 4, 22.5)]


def test_bad_ranges_are_refused(sensor):
    with pytest.raises(ValidationFailed):
        service.sensor_series(sensor_id=sensor.id, metric="temperature", start=at(12), end=at(10), bucket="1h")
    with pytest.raises(ValidationFailed):
        service.sensor_series(sensor_id=sensor.id, metric="temperature", start=at(0, day=-60), end=at(0),
                              bucket="5m")
    with pytest.raises(ValidationFailed):
        service.sensor_series(sensor_id=sensor.id, metric="smell", start=at(0), end=at(10), bucket="1h")


def test_roll_up_moves_old_readings_into_hours_once(app, sensor, monkeypatch):
    monkeypatch.setitem(app.config, "READING_RETENTION_DAYS", 0)  # everything before this hour is "old"
    first = service.roll_up_expired()
    assert (first["readings"], first["hours"]) == (5, 3)
    assert db.session.scalar(select(func.count()).select_from(Reading)) == 0
    again = service.roll_up_expired()
    assert (again["readings"], again["hours"]) == (0, 0)
    hours = db.session.execute(select(ReadingHour.metric, ReadingHour.count, ReadingHour.total, ReadingHour.low,
                                      ReadingHour.high).order_by(ReadingHour.hour, ReadingHour.metric)).all()
    assert hours == [("humidity", 1, 70, 70, 70), ("temperature", 3, 74, 20, 30), ("temperature", 1, 16, 16, 16)]
    # the series still shows the rolled-up history, with the same figures
    hourly = service.sensor_series(sensor_id=sensor.id, metric="temperature", start=at(0), end=at(23), bucket="1h")
    assert [(p["at"], p["avg"], p["count"]) for p in hourly] == [(at(10), 24.667, 3), (at(11), 16.0, 1)]


def test_a_late_reading_merges_into_its_rolled_up_hour(app, sensor, ingest, monkeypatch):
    monkeypatch.setitem(app.config, "READING_RETENTION_DAYS", 0)
    service.roll_up_expired()
    ingest(sensor, [("temperature", 10, at(10, 30))])
    service.roll_up_expired()
    row = db.session.execute(select(ReadingHour.count, ReadingHour.total, ReadingHour.low).where(
        ReadingHour.metric == "temperature", ReadingHour.hour == int(at(10).timestamp()))).one()
    assert tuple(row) == (4, 84, 10)


def test_recent_readings_stay_raw(sensor):
    moved = service.roll_up_expired()  # default retention is 90 days
    assert moved["readings"] == 0
    assert db.session.scalar(select(func.count()).select_from(Reading)) == 5
