"""Concurrent batches that push a zone into a worse category raise one alert, not one each.  # SC-4"""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select

from app.alerts.models import Alert
from app.auth import service as auth_service
from app.city import service
from app.core.timeutil import utcnow
from app.extensions import db
from tests.conftest import needs_postgres

THREADS = 8


def _day(sensor_id: int, metric: str, value: float) -> list[dict]:
    now = utcnow()
    return [{"sensor_id": sensor_id, "metric": metric, "value": value,
             "at": (now - timedelta(hours=h + 0.5)).isoformat()} for h in range(24)]


@needs_postgres
def test_one_alert_per_crossing_under_concurrent_batches(app, committed_db, captured_events):
    device, _key = auth_service.create_device(name="station", kind="sensor")
    sensor = service.create_sensor(kind="air", name="Ghat", lat=20.893, lng=70.405, zone="ghat", device_id=device.id)
    # Good without PM2.5; each batch then brings the same PM2.5 of 100 µg/m³ (→ 230, Poor), so however many
    # batches a transaction sees committed, the hourly means — and the category — are the same
    base = _day(sensor.id, "pm10", 20) + _day(sensor.id, "no2", 20) + _day(sensor.id, "o3", 20)
    device_id, sensor_id = device.id, sensor.id
    service.ingest_readings(device_id=device_id, readings=base)  # Good
    db.session.remove()
    barrier, failures = threading.Barrier(THREADS), []

    def push() -> None:
        with app.app_context():
            try:
                barrier.wait(10)
                service.ingest_readings(device_id=device_id, readings=_day(sensor_id, "pm25", 100))
            except Exception as exc:  # collected and asserted below
                failures.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=push) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert failures == []
    rises = [e for e in captured_events if e.name == "city.environment_alert"]
    assert len(rises) == 1, [e.payload for e in rises]
    assert (rises[0].payload["previous_category"], rises[0].payload["category"]) == ("Good", "Poor")
    assert db.session.scalar(select(func.count()).select_from(Alert).where(Alert.source == "city.environment")) == 1
