"""MQTT ingest against the real Mosquitto on 127.0.0.1:1883; a bad message never stops the consumer.  # SC-3 SC-9"""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid

import paho.mqtt.client as mqtt
import pytest
from prometheus_client import REGISTRY
from sqlalchemy import func, select

from app.auth import service as auth_service
from app.city import service
from app.city.models import Reading
from app.city.mqtt import ReadingsConsumer, parse
from app.extensions import db


def _broker_listens() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 1883), timeout=1):
            return True
    except OSError:
        return False


needs_broker = pytest.mark.skipif(not _broker_listens(), reason="no MQTT broker listens on 127.0.0.1:1883")


@pytest.fixture(autouse=True)
def frozen_clock():
    """Real time here: freezegun would also freeze the MQTT client's keep-alive clock."""
    yield None


def _count(outcome: str) -> float:
    return REGISTRY.get_sample_value("sangam_city_mqtt_messages_total", {"outcome": outcome}) or 0.0


def test_parse_refuses_bad_messages():
    message, outcome = parse("sangam/readings/7", b'{"key": "k", "readings": [{"metric": "pm25", "value": 1}]}', 10)
    assert (message.device_id, message.key, outcome) == (7, "k", None)
    assert parse("sangam/readings/abc", b"{}", 10) == (None, "bad_topic")
    assert parse("sangam/readings/7", b"\xff\xfe", 10) == (None, "bad_json")
    assert parse("sangam/readings/7", b"not json", 10) == (None, "bad_json")
    assert parse("sangam/readings/7", b'["key"]', 10) == (None, "bad_shape")
    assert parse("sangam/readings/7", b'{"key": "k", "readings": []}', 10) == (None, "bad_shape")
    assert parse("sangam/readings/7", json.dumps({"key": "k", "readings": [{}] * 11}).encode(), 10) == (
        None, "too_large")


@pytest.fixture
def consumer(app, committed_db):
    """A consumer on a topic of this test's own, running in a thread."""
    prefix = f"test-{uuid.uuid4().hex[:8]}/sangam/readings"
    running = ReadingsConsumer(app, topic=f"{prefix}/+")
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    assert running.subscribed.wait(10), "the consumer did not subscribe"
    running.prefix = prefix
    yield running
    running.stop()
    thread.join(10)


@pytest.fixture
def publisher():
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"test-pub-{uuid.uuid4().hex[:8]}")
    client.connect("127.0.0.1", 1883)
    client.loop_start()

    def publish(topic: str, payload) -> None:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        client.publish(topic, body, qos=1).wait_for_publish(5)

    yield publish
    client.loop_stop()
    client.disconnect()


def _stored(sensor_id: int) -> int:
    """Count in a short transaction of its own (SQLite: never hold the write lock between polls)."""
    try:
        return db.session.scalar(select(func.count()).select_from(Reading).where(Reading.sensor_id == sensor_id))
    finally:
        db.session.remove()


def _wait_for(predicate, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


@needs_broker
def test_readings_arrive_and_bad_messages_are_dropped(consumer, publisher):
    device, key = auth_service.create_device(name="mqtt air station", kind="sensor")
    sensor = service.create_sensor(kind="air", name="Ghat station", lat=20.893, lng=70.405, zone="somnath",
                                   device_id=device.id)
    other, other_key = auth_service.create_device(name="other", kind="sensor")
    before = {o: _count(o) for o in ("bad_json", "unknown_key", "wrong_device", "stored")}
    topic = f"{consumer.prefix}/{device.id}"
    publisher(topic, b"{ this is not json")
    publisher(topic, {"key": "sk_wrong", "readings": [{"metric": "pm25", "value": 10}]})
    publisher(topic, {"key": other_key, "readings": [{"metric": "pm25", "value": 10}]})  # another device's key
    publisher(topic, {"key": key, "readings": [{"metric": "pm25", "value": 35.5},
                                               {"metric": "pm25", "value": float("nan")},
                                               {"sensor_id": sensor.id, "metric": "no2", "value": 21}]})
    assert _wait_for(lambda: _stored(sensor.id) == 2), "the good readings were not stored"
    for outcome in ("bad_json", "unknown_key", "wrong_device", "stored"):  # counted just after the commit
        assert _wait_for(lambda o=outcome: _count(o) - before[o] == 1), outcome
    # the consumer is still there: a later message is stored too
    publisher(topic, {"key": key, "readings": [{"metric": "pm10", "value": 80}]})
    assert _wait_for(lambda: _stored(sensor.id) == 3)
    assert service.sensor_view(sensor.id)["latest"]["pm10"]["value"] == 80
    db.session.remove()


@needs_broker
def test_many_messages_are_written_in_batches(consumer, publisher):
    device, key = auth_service.create_device(name="mqtt counter", kind="sensor")
    sensor = service.create_sensor(kind="traffic", name="Bypass counter", lat=20.8975, lng=70.401, zone="somnath",
                                   device_id=device.id)
    for n in range(50):
        publisher(f"{consumer.prefix}/{device.id}", {"key": key, "readings": [
            {"metric": "vehicle_count", "value": 100 + n}, {"metric": "avg_speed_kmh", "value": 30}]})
    assert _wait_for(lambda: _stored(sensor.id) == 100)
