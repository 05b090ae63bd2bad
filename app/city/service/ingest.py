"""Ingest sensor readings (HTTP and MQTT alike): check each one, store the good ones in one round trip.

A batch is judged reading by reading: a reading with an unknown metric, a value that is not a finite
number or lies outside the metric's plausible range, a sensor that is unknown or bound to another
device, or a time in the future is refused with its index and a code; the rest are stored. A batch
over ``READINGS_MAX_BATCH`` is refused whole (413) before anything is written. After the write, each
module looks at what moved (AQI per zone, congestion per segment, bin fill, feeder load) and
publishes its live events, which go out after the commit.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from app.city import sql
from app.city.catalogue import METRICS
from app.city.errors import BatchTooLarge, NotASensor
from app.city.models import Sensor
from app.city.telemetry import count_readings
from app.core.events import transactional
from app.core.timeutil import utcnow
from app.extensions import db

FIELDS = frozenset({"sensor_id", "metric", "value", "at"})
FUTURE_SLACK = timedelta(minutes=5)


@dataclass
class Submission:
    """One device's readings: an HTTP request body, or one MQTT message."""

    device_id: int
    readings: list
    accepted: int = 0
    rejected: list[dict] = field(default_factory=list)

    def refuse(self, index: int, error: str, message: str) -> None:
        self.rejected.append({"index": index, "error": error, "message": message})

    def result(self) -> dict:
        return {"accepted": self.accepted, "rejected": self.rejected}


def check_batch_size(readings) -> None:
    """Refuse a batch that is not a non-empty list of at most READINGS_MAX_BATCH readings."""
    limit = current_app.config["READINGS_MAX_BATCH"]
    if not isinstance(readings, list) or not readings:
        from app.core.errors import ValidationFailed

        raise ValidationFailed({"readings": ["Give a non-empty list of readings."]})
    if len(readings) > limit:
        raise BatchTooLarge(f"At most {limit} readings per request; this one has {len(readings)}.")


def ingest_readings(*, device_id: int, readings: list, path: str = "http", device_kind: str = "sensor") -> dict:
    """Store one device's batch of readings; return ``{accepted, rejected:[{index, error, message}]}``."""
    if device_kind != "sensor":
        raise NotASensor()
    check_batch_size(readings)
    submission = Submission(device_id, readings)
    ingest_submissions(submissions=[submission], path=path)
    return submission.result()


@transactional
def ingest_submissions(*, submissions: list[Submission], path: str) -> list[Submission]:
    """Check and store several devices' batches in one write (the MQTT consumer's flush)."""
    sensors = _sensors_of({s.device_id for s in submissions})
    foreign = _foreign_sensors(submissions, sensors)
    now = utcnow()
    rows: list[tuple] = []
    for submission in submissions:
        rows.extend(_check(submission, sensors, foreign, now))
    sql.write_readings(rows)
    count_readings(path, len(rows), sum(len(s.rejected) for s in submissions))
    if rows:
        _after_write(rows, sensors)
    return submissions


def _sensors_of(device_ids: set[int]) -> dict[int, Sensor]:
    stmt = select(Sensor).where(Sensor.device_id.in_(device_ids), Sensor.is_active.is_(True))
    return {s.id: s for s in db.session.scalars(stmt)}


def _foreign_sensors(submissions: list[Submission], mine: dict[int, Sensor]) -> set[int]:
    """Ids named in the batches that exist but belong to no submitting device (another device's sensors)."""
    named = (r.get("sensor_id") for s in submissions for r in s.readings if type(r) is dict)
    asked = {i for i in named if type(i) is int and i not in mine}
    if not asked:
        return set()
    return set(db.session.scalars(select(Sensor.id).where(Sensor.id.in_(asked))))


def _check(submission: Submission, sensors: dict[int, Sensor], foreign: set[int], now: datetime) -> list[tuple]:
    own = [s for s in sensors.values() if s.device_id == submission.device_id]
    default = own[0] if len(own) == 1 else None
    rows = []
    for index, reading in enumerate(submission.readings):
        row = _check_one(index, reading, submission, sensors, default, foreign, now)
        if row is not None:
            rows.append(row)
    submission.accepted = len(rows)
    return rows


def _check_one(index, reading, submission, sensors, default, foreign, now):  # noqa: PLR0911 - one exit per rule
    refuse = submission.refuse
    if type(reading) is not dict:
        return refuse(index, "invalid_reading", "A reading must be an object {sensor_id?, metric, value, at?}.")
    if not reading.keys() <= FIELDS:
        return refuse(index, "unknown_field", f"Unknown field(s): {', '.join(sorted(reading.keys() - FIELDS))}.")
    metric = METRICS.get(reading.get("metric")) if type(reading.get("metric")) is str else None
    if metric is None:
        return refuse(index, "unknown_metric", f"Unknown metric {reading.get('metric')!r}.")
    value = reading.get("value")
    if type(value) not in (int, float) or (type(value) is float and not math.isfinite(value)):
        return refuse(index, "invalid_value", "value must be a finite number.")
    if not metric.low <= value <= metric.high:
        return refuse(index, "out_of_range",
                      f"{metric.name} must be between {metric.low:g} and {metric.high:g} {metric.unit}.")
    sensor = _sensor_for(index, reading, submission, sensors, default, foreign)
    if sensor is None:
        return None
    if sensor.kind not in metric.kinds:
        return refuse(index, "metric_not_for_kind", f"A {sensor.kind} sensor does not report {metric.name}.")
    at = _time(index, reading.get("at"), submission, now)
    if at is None:
        return None
    return sensor.id, metric.name, float(value), at


def _sensor_for(index, reading, submission, sensors, default, foreign):
    sensor_id = reading.get("sensor_id")
    if sensor_id is None:
        if default is None:
            submission.refuse(index, "sensor_required", "This device has several sensors (or none): give sensor_id.")
        return default
    sensor = sensors.get(sensor_id) if type(sensor_id) is int else None
    if sensor is not None and sensor.device_id == submission.device_id:
        return sensor
    if sensor is not None or (type(sensor_id) is int and sensor_id in foreign):
        submission.refuse(index, "not_your_sensor", "This sensor is bound to another device.")
    else:
        submission.refuse(index, "unknown_sensor", f"No active sensor {sensor_id!r}.")
    return None


def _time(index, raw, submission, now):
    if raw is None:
        return now
    try:
        at = datetime.fromisoformat(raw) if type(raw) is str else None
    except ValueError:
        at = None
    if at is None or at.tzinfo is None:
        return submission.refuse(index, "invalid_time", "at must be an ISO 8601 time with an offset.")
    if at > now + FUTURE_SLACK:
        return submission.refuse(index, "future_time", "A reading cannot come from the future.")
    return at


def _latest_rows(rows: list[tuple]) -> list[dict]:
    newest: dict[tuple[int, str], tuple[float, datetime]] = {}
    for sensor_id, metric, value, at in rows:
        key = (sensor_id, metric)
        if key not in newest or at >= newest[key][1]:
            newest[key] = (value, at)
    # sorted, so concurrent batches lock the same rows in the same order (no deadlocks)
    return [{"sensor_id": s, "metric": m, "value": v, "at": a} for (s, m), (v, a) in sorted(newest.items())]


def _after_write(rows: list[tuple], sensors: dict[int, Sensor]) -> None:
    """Refresh latest values, then let each module react to what its sensors reported."""
    from app.city.service import effects

    latest = _latest_rows(rows)
    sql.write_latest(latest)
    touched: dict[str, set[int]] = defaultdict(set)
    for row in latest:
        sensor = sensors[row["sensor_id"]]
        touched[sensor.kind].add(sensor.id)
    effects.react(touched, sensors)
