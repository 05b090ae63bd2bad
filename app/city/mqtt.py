"""The MQTT readings consumer (``flask city ingest-mqtt``): ``sangam/readings/<device_id>`` into the ingest service.

Each message is ``{"key": "<device key>", "readings": [...]}`` (the HTTP body plus the key). Messages
are checked as they arrive, queued, and written in batches (``MQTT_FLUSH_READINGS`` readings or
``MQTT_FLUSH_MS``, whichever comes first) through the same service function as POST /city/readings,
so both paths store and announce readings alike. The key is verified for every message and must
belong to the device the topic names. A bad message (not JSON, wrong shape, unknown key, another
device's topic, too many readings) is counted in ``sangam_city_mqtt_messages_total`` and dropped;
an error while writing is logged and counted, and the consumer goes on.

Delivery: QoS 1, acknowledged by the client library on receipt, so a message is lost only if the
process dies within one flush interval of receiving it.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlparse

import paho.mqtt.client as mqtt
from flask import Flask

from app.city.telemetry import MQTT_MESSAGES
from app.city.wire import parse_batch
from app.core.jsonio import InvalidJSON

log = logging.getLogger("sangam.city.mqtt")


@dataclass
class Message:
    device_id: int
    key: str
    readings: list


def parse(topic: str, payload: bytes, max_batch: int) -> tuple[Message | None, str | None]:
    """Check a message's topic and shape; return it, or the outcome that drops it."""
    tail = topic.rsplit("/", 1)[-1]
    if not tail.isdigit():
        return None, "bad_topic"
    try:
        body = parse_batch(payload)
    except (InvalidJSON, UnicodeDecodeError):
        return None, "bad_json"
    if not isinstance(body, dict) or not isinstance(body.get("key"), str) or not isinstance(body.get("readings"),
                                                                                            list):
        return None, "bad_shape"
    if not body["readings"]:
        return None, "bad_shape"
    if len(body["readings"]) > max_batch:
        return None, "too_large"
    return Message(int(tail), body["key"], body["readings"]), None


class ReadingsConsumer:
    """Subscribe, queue checked messages, and flush them into the ingest service in batches."""

    def __init__(self, app: Flask, *, url: str | None = None, topic: str | None = None):
        cfg = app.config
        self.app, self.url, self.topic = app, url or cfg["MQTT_URL"], topic or cfg["MQTT_TOPIC"]
        self.flush_readings, self.flush_s = cfg["MQTT_FLUSH_READINGS"], cfg["MQTT_FLUSH_MS"] / 1000
        self.max_batch = cfg["READINGS_MAX_BATCH"]
        self.inbox: queue.Queue[Message] = queue.Queue()
        self.stopping = threading.Event()
        self.subscribed = threading.Event()
        self.client = self._client()

    def _client(self) -> mqtt.Client:
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"sangam-ingest-{os.getpid()}-{id(self)}")
        client.on_connect = self._on_connect
        client.on_message = self._on_message
        client.on_disconnect = self._on_disconnect
        client.reconnect_delay_set(min_delay=1, max_delay=30)
        parsed = urlparse(self.url)
        if parsed.username:
            client.username_pw_set(parsed.username, parsed.password)
        if parsed.scheme == "mqtts":
            client.tls_set()
        return client

    def _on_disconnect(self, _client, _userdata, _flags, reason_code, _properties=None):
        self.subscribed.clear()
        if not self.stopping.is_set():
            log.warning("MQTT connection lost (%s); reconnecting", reason_code)

    def _on_connect(self, client, _userdata, _flags, reason_code, _properties=None):
        if reason_code.is_failure:
            log.error("MQTT connection refused: %s", reason_code)
            return
        client.subscribe(self.topic, qos=1)
        self.subscribed.set()
        log.info("subscribed to %s", self.topic)

    def _on_message(self, _client, _userdata, msg):
        message, outcome = parse(msg.topic, msg.payload, self.max_batch)
        if message is None:
            MQTT_MESSAGES.labels(outcome).inc()
            return
        self.inbox.put(message)

    def start(self) -> None:
        parsed = urlparse(self.url)
        default_port = 8883 if parsed.scheme == "mqtts" else 1883
        # asynchronous: a broker that is down at start is retried (1 s … 30 s) instead of stopping the consumer
        self.client.connect_async(parsed.hostname or "127.0.0.1", parsed.port or default_port, keepalive=30)
        self.client.loop_start()

    def stop(self) -> None:
        self.stopping.set()

    def run(self) -> None:
        """Consume until ``stop()``; flush what is queued on the way out."""
        self.start()
        try:
            while not self.stopping.is_set():
                self.flush(self._collect())
            self.flush(self._drain())
        finally:
            self.client.loop_stop()
            self.client.disconnect()

    def _collect(self) -> list[Message]:
        batch, readings, deadline = [], 0, None
        while readings < self.flush_readings and not self.stopping.is_set():
            timeout = 0.1 if deadline is None else deadline - time.monotonic()
            if timeout <= 0:
                break
            try:
                message = self.inbox.get(timeout=timeout)
            except queue.Empty:
                continue
            deadline = deadline or time.monotonic() + self.flush_s
            batch.append(message)
            readings += len(message.readings)
        return batch

    def _drain(self) -> list[Message]:
        batch = []
        while not self.inbox.empty():
            batch.append(self.inbox.get_nowait())
        return batch

    def flush(self, batch: list[Message]) -> None:
        """Verify each message's key, then write every verified message in one ingest call."""
        if not batch:
            return
        with self.app.app_context():
            from app.extensions import db

            try:
                self._write(batch)
            except Exception:  # a failed write must not stop the consumer
                log.exception("writing %d MQTT messages failed", len(batch))
                MQTT_MESSAGES.labels("failed").inc(len(batch))
            finally:
                db.session.remove()

    def _write(self, batch: list[Message]) -> None:
        from app.auth import service as auth_service
        from app.city import service

        devices: dict[str, object] = {}
        submissions = []
        for message in batch:
            if message.key not in devices:
                devices[message.key] = auth_service.resolve_device_key(message.key)
            device = devices[message.key]
            if device is None or device.kind != "sensor":
                MQTT_MESSAGES.labels("unknown_key").inc()
            elif device.id != message.device_id:
                MQTT_MESSAGES.labels("wrong_device").inc()
            else:
                submissions.append(service.Submission(device.id, message.readings))
        if submissions:
            service.ingest_submissions(submissions=submissions, path="mqtt")
            MQTT_MESSAGES.labels("stored").inc(len(submissions))
