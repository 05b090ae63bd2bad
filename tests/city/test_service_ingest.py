"""Readings ingest: each bad reading refused alone with its index, the rest stored once.  # SC-3 SC-4 SC-5 SC-6"""

from datetime import timedelta

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import func, select

from app.city import service
from app.city.errors import BatchTooLarge
from app.city.models import Reading
from app.core.errors import ValidationFailed
from app.core.timeutil import utcnow
from app.extensions import db
from tests.city.conftest import hours_ago


def stored(sensor=None) -> int:
    stmt = select(func.count()).select_from(Reading)
    if sensor is not None:
        stmt = stmt.where(Reading.sensor_id == sensor.id)
    return db.session.scalar(stmt)


def test_good_readings_are_stored_with_their_values(make_sensor, ingest):
    sensor = make_sensor("air")
    result = ingest(sensor, [("pm25", 42.5, hours_ago(2)), ("no2", 18, hours_ago(1))])
    assert result == {"accepted": 2, "rejected": []}
    rows = db.session.execute(select(Reading.metric, Reading.value).where(Reading.sensor_id == sensor.id)
                              .order_by(Reading.at)).all()
    assert rows == [("pm25", 42.5), ("no2", 18.0)]


@pytest.mark.parametrize(("reading", "error"), [
    ({"metric": "pm2.5", "value": 10}, "unknown_metric"),
    ({"metric": "pm25", "value": float("nan")}, "invalid_value"),
    ({"metric": "pm25", "value": float("inf")}, "invalid_value"),
    ({"metric": "pm25", "value": True}, "invalid_value"),
    ({"metric": "pm25", "value": "12"}, "invalid_value"),
    ({"metric": "pm25", "value": -1}, "out_of_range"),
    ({"metric": "pm25", "value": 1000.1}, "out_of_range"),
    ({"metric": "pm25", "value": 10 ** 400}, "out_of_range"),
    ({"metric": "fill_pct", "value": 50}, "metric_not_for_kind"),
    ({"metric": "pm25", "value": 10, "at": "2026-03-08T10:00:00"}, "invalid_time"),
    ({"metric": "pm25", "value": 10, "at": "yesterday"}, "invalid_time"),
    ({"metric": "pm25", "value": 10, "colour": "red"}, "unknown_field"),
    ("pm25=10", "invalid_reading"),
])
def test_a_bad_reading_is_refused_alone(make_sensor, reading, error):
    sensor = make_sensor("air")
    good = {"sensor_id": sensor.id, "metric": "pm10", "value": 80}
    bad = {"sensor_id": sensor.id, **reading} if isinstance(reading, dict) else reading
    result = service.ingest_readings(device_id=sensor.device_id, readings=[good, bad, good])
    assert result["accepted"] == 2
    assert [(r["index"], r["error"]) for r in result["rejected"]] == [(1, error)]
    assert result["rejected"][0]["message"]
    assert stored(sensor) == 2


def test_a_reading_from_the_future_is_refused(make_sensor):
    sensor = make_sensor("air")
    soon, later = utcnow() + timedelta(minutes=4), utcnow() + timedelta(minutes=6)
    result = service.ingest_readings(device_id=sensor.device_id, readings=[
        {"sensor_id": sensor.id, "metric": "pm25", "value": 10, "at": soon.isoformat()},
        {"sensor_id": sensor.id, "metric": "pm25", "value": 10, "at": later.isoformat()}])
    assert result["accepted"] == 1 and result["rejected"][0]["error"] == "future_time"


def test_another_devices_sensor_is_refused(make_sensor):
    mine, theirs = make_sensor("air"), make_sensor("air")
    result = service.ingest_readings(device_id=mine.device_id, readings=[
        {"sensor_id": theirs.id, "metric": "pm25", "value": 10},
        {"sensor_id": mine.id, "metric": "pm25", "value": 10},
        {"sensor_id": 999999, "metric": "pm25", "value": 10}])
    assert [(r["index"], r["error"]) for r in result["rejected"]] == [(0, "not_your_sensor"), (2, "unknown_sensor")]
    assert stored(theirs) == 0 and stored(mine) == 1


def test_an_unbound_sensor_accepts_no_device(make_sensor, device):
    sensor = make_sensor("air", unbound=True)
    gateway, _key = device()
    result = service.ingest_readings(device_id=gateway.id, readings=[{"sensor_id": sensor.id, "metric": "pm25",
                                                                      "value": 10}])
    assert result["rejected"][0]["error"] == "not_your_sensor"


def test_the_sensor_comes_from_the_key_when_the_device_has_one(make_sensor, device):
    single = make_sensor("noise")
    assert service.ingest_readings(device_id=single.device_id, readings=[{"metric": "noise_db", "value": 61}]) == {
        "accepted": 1, "rejected": []}
    gateway, _key = device()
    make_sensor("noise", device_id=gateway.id)
    make_sensor("noise", device_id=gateway.id)
    result = service.ingest_readings(device_id=gateway.id, readings=[{"metric": "noise_db", "value": 61}])
    assert result["rejected"][0]["error"] == "sensor_required"


def test_a_batch_over_the_limit_stores_nothing(app, make_sensor, monkeypatch):
    sensor = make_sensor("air")
    monkeypatch.setitem(app.config, "READINGS_MAX_BATCH", 10)
    with pytest.raises(BatchTooLarge) as caught:
        service.ingest_readings(device_id=sensor.device_id,
                                readings=[{"sensor_id": sensor.id, "metric": "pm25", "value": 1}] * 11)
    assert caught.value.status == 413
    assert stored() == 0


@pytest.mark.parametrize("readings", [[], {"metric": "pm25"}, None])
def test_a_batch_must_be_a_non_empty_list(make_sensor, readings):
    sensor = make_sensor("air")
    with pytest.raises(ValidationFailed):
        service.ingest_readings(device_id=sensor.device_id, readings=readings)


def test_the_sensor_shows_its_newest_reading_per_metric(make_sensor, ingest):
    sensor = make_sensor("air")
    ingest(sensor, [("pm25", 40, hours_ago(1)), ("pm25", 55, hours_ago(0.5)), ("no2", 20, hours_ago(3))])
    ingest(sensor, [("pm25", 99, hours_ago(2))])  # late: older than what is shown
    view = service.sensor_view(sensor.id)
    assert view["latest"]["pm25"]["value"] == 55 and view["latest"]["pm25"]["unit"] == "µg/m³"
    assert view["latest"]["no2"]["value"] == 20
    assert view["last_seen_at"] == view["latest"]["pm25"]["at"]
    assert stored(sensor) == 4


def _counter(path: str, outcome: str) -> float:
    return REGISTRY.get_sample_value("sangam_city_readings_total", {"path": path, "outcome": outcome}) or 0.0


def test_readings_are_counted_for_metrics(make_sensor):
    sensor = make_sensor("air")
    before = _counter("http", "accepted"), _counter("http", "rejected")
    service.ingest_readings(device_id=sensor.device_id, readings=[
        {"sensor_id": sensor.id, "metric": "pm25", "value": 10}, {"sensor_id": sensor.id, "metric": "x", "value": 1}])
    assert (_counter("http", "accepted") - before[0], _counter("http", "rejected") - before[1]) == (1, 1)


def test_a_device_of_another_kind_cannot_own_a_sensor(device):
    from app.auth import service as auth_service

    sign, _key = auth_service.create_device(name="sign", kind="sign")
    with pytest.raises(ValidationFailed) as caught:
        service.create_sensor(kind="air", name="x", lat=20.9, lng=70.4, zone="somnath", device_id=sign.id)
    assert "device_id" in caught.value.errors
