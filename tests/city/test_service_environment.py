"""AQI per zone from readings, and one alert per rise into a worse category.  # SC-4 SC-9"""

import pytest
from sqlalchemy import select

from app.alerts.models import Alert
from app.city import service
from app.city.errors import ZoneNotFound
from app.extensions import db
from tests.city.conftest import hours_ago

ENV_KEYS = {"zone", "aqi", "category", "previous_category", "dominant_pollutant", "severity", "lat", "lng", "at"}


def day_of(metric: str, value: float, hours: int = 24) -> list:
    """One reading in each of the last ``hours`` hours."""
    return [(metric, value, hours_ago(h + 0.5)) for h in range(hours)]


@pytest.fixture
def station(make_sensor):
    return make_sensor("air", zone="somnath", lat=20.8880, lng=70.4013)


def test_zone_aqi_from_24_and_8_hour_averages(station, ingest):
    # PM2.5 45 → 75; NO2 100 → 99/99 * (100-81) + 101 = 120; CO 1.5 over 8 h → 49/0.9 * (1.5-1.1) + 51 = 72.8 → 73
    ingest(station, day_of("pm25", 45) + day_of("no2", 100) + day_of("co", 1.5, hours=8))
    result = service.zone_air_quality("somnath")
    assert result["sub_indices"] == {"pm25": 75, "no2": 120, "co": 73}
    assert (result["aqi"], result["category"], result["dominant_pollutant"]) == (120, "Moderately polluted", "no2")
    assert result["colour"] == "#FFFF00" and result["status"] == "ok"
    assert result["concentrations"]["co"] == {"value": 1.5, "unit": "mg/m³", "hours": 8}
    assert result["health_advice"].startswith("May cause breathing discomfort")


def test_the_window_only_counts_its_own_hours(station, ingest):
    # old CO readings (9–23 h ago) fall outside the 8-hour window: only the last 8 hours (0.5 mg/m³) count
    ingest(station, day_of("pm25", 20) + day_of("no2", 20) + [("co", 9.0, hours_ago(h + 0.5)) for h in range(9, 24)]
           + day_of("co", 0.5, hours=8))
    assert service.zone_air_quality("somnath")["sub_indices"]["co"] == 25


def test_too_few_hours_or_pollutants_give_no_aqi(station, ingest):
    ingest(station, day_of("pm25", 45, hours=15) + day_of("no2", 30) + day_of("o3", 30))
    result = service.zone_air_quality("somnath")
    assert result["aqi"] is None and result["status"] == "insufficient_data"
    assert "pm25" not in result["sub_indices"]  # 15 hours are not enough for a 24-hour average


def test_an_unknown_zone_is_404():
    with pytest.raises(ZoneNotFound):
        service.zone_air_quality("atlantis")


def _rise(station, ingest, pm25: float, hours: int = 24):
    ingest(station, day_of("pm25", pm25, hours) + day_of("no2", 20, hours) + day_of("o3", 20, hours))


def _env_alerts(events):
    return [e for e in events if e.name == "city.environment_alert"]


def test_a_rise_alerts_once_per_crossing(station, ingest, captured_events):
    _rise(station, ingest, 20)  # Good: nothing to say
    assert _env_alerts(captured_events) == []
    ingest(station, day_of("pm25", 150))  # hourly means (20 + 150) / 2 = 85 → 99/29 * 24 + 101 = 183
    ingest(station, day_of("pm25", 150))  # (20 + 300) / 3 = 106.7 → 107 → 99/29 * 16 + 201 = 256
    alerts = _env_alerts(captured_events)
    assert [(e.payload["previous_category"], e.payload["category"], e.payload["aqi"]) for e in alerts] == [
        ("Good", "Moderately polluted", 183), ("Moderately polluted", "Poor", 256)]
    evt = alerts[1]
    assert set(evt.payload) >= ENV_KEYS and evt.payload["zone"] == "somnath"
    assert (evt.payload["lat"], evt.payload["lng"], evt.payload["dominant_pollutant"]) == (20.888, 70.4013, "pm25")
    assert evt.channel == "city" and evt.socket_event == "environment_alert"
    assert evt.scope == {"module": "environment", "severity": "warning"}
    captured_events.clear()
    ingest(station, [("pm25", 150, hours_ago(0.1))])  # still Poor: no new alert
    assert _env_alerts(captured_events) == []


def test_falling_then_rising_again_is_a_new_crossing(station, ingest, captured_events):
    _rise(station, ingest, 100)  # PM2.5 100 → 230, Poor
    assert [e.payload["category"] for e in _env_alerts(captured_events)] == ["Poor"]
    ingest(station, day_of("pm25", 1) * 6)  # the mean falls to Satisfactory: no alert
    assert len(_env_alerts(captured_events)) == 1
    assert service.zone_air_quality("somnath")["category"] in ("Good", "Satisfactory")
    ingest(station, day_of("pm25", 400) * 6)
    # hourly means (100 + 6 + 2400) / 13 = 192.8 → 193 → 99/129 * 72 + 301 = 356: Very Poor, up from Good
    rises = [(e.payload["previous_category"], e.payload["category"]) for e in _env_alerts(captured_events)]
    assert rises == [(None, "Poor"), ("Good", "Very Poor")]


def test_poor_and_worse_raise_a_platform_alert(station, ingest):
    _rise(station, ingest, 60)  # PM2.5 60 → 100: Satisfactory, no platform alert
    assert db.session.scalars(select(Alert)).all() == []
    _rise(station, ingest, 300, hours=24)  # hourly means 180 → 346: Very Poor, a critical alert
    alert = db.session.scalars(select(Alert)).one()
    assert alert.scope == "city" and alert.source == "city.environment" and alert.severity == "critical"
    assert alert.title == "Air quality Very Poor in somnath"


def test_a_zone_is_evaluated_at_most_once_a_minute(app, station, ingest, captured_events, frozen_clock, monkeypatch):
    monkeypatch.setitem(app.config, "AQI_EVALUATE_SECONDS", 60)
    _rise(station, ingest, 20)  # evaluated: Good
    _rise(station, ingest, 300)  # within the minute: not evaluated yet
    assert _env_alerts(captured_events) == []
    frozen_clock.tick(61)
    ingest(station, [("pm25", 300, hours_ago(0.01))])
    assert [e.payload["category"] for e in _env_alerts(captured_events)] == ["Very Poor"]


def test_the_beat_job_evaluates_every_zone(app, station, ingest, captured_events, monkeypatch):
    from tasks.city import evaluate_air_quality

    monkeypatch.setitem(app.config, "AQI_EVALUATE_SECONDS", 3600)
    _rise(station, ingest, 20)
    _rise(station, ingest, 300)
    assert _env_alerts(captured_events) == []
    assert evaluate_air_quality() == 1
    assert [e.payload["category"] for e in _env_alerts(captured_events)] == ["Very Poor"]
