"""``flask city …``: the MQTT ingest consumer and the retention roll-up."""

from __future__ import annotations

import signal

import click
from flask import current_app
from flask.cli import AppGroup

city = AppGroup("city", help="City sensors: MQTT ingest and retention.")


@city.command("ingest-mqtt")
@click.option("--url", default=None, help="broker URL (default: MQTT_URL)")
@click.option("--topic", default=None, help="topic filter (default: MQTT_TOPIC, sangam/readings/+)")
def ingest_mqtt(url: str | None, topic: str | None) -> None:
    """Consume sensor readings from MQTT until stopped (SIGTERM or Ctrl-C)."""
    from prometheus_client import start_http_server

    from app.city.mqtt import ReadingsConsumer

    app = current_app._get_current_object()
    consumer = ReadingsConsumer(app, url=url, topic=topic)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: consumer.stop())
    port = app.config["MQTT_METRICS_PORT"]
    if port:
        start_http_server(port, addr="0.0.0.0")
    click.echo(f"Consuming {consumer.topic} from {consumer.url}" + (f"; metrics on :{port}" if port else ""))
    consumer.run()
    click.echo("Stopped.")


@city.command("roll-up")
def roll_up() -> None:
    """Roll raw readings past READING_RETENTION_DAYS up into hourly rows now."""
    from app.city import service

    moved = service.roll_up_expired()
    click.echo(f"Rolled {moved['readings']} readings into {moved['hours']} hourly rows (before {moved['cutoff']}).")
