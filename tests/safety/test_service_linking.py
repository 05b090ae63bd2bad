"""Linked incidents: an SOS, a critical crowd, a critical alert, an air alarm or a full car park near an open
incident attaches to it as `related`. Other domains' events are published here with their documented payloads
(docs/architecture.md "Naming"), exactly as their publishers will send them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.events import Event, publish, transactional
from app.core.timeutil import utcnow
from app.extensions import db
from app.safety import service
from app.safety.models import Incident
from app.safety.schemas import IncidentSchema
from tests.safety.conftest import SOMNATH

M_PER_DEG_LAT = 111_195


@transactional
def happen(event_name: str, **payload) -> None:
    """Publish another domain's event in a committed unit of work (its subscribers run after commit)."""
    publish(Event(name=event_name, payload=payload, audit=False))


def north(metres: float) -> tuple[float, float]:
    return SOMNATH[0] + metres / M_PER_DEG_LAT, SOMNATH[1]


def sos(pilgrim, at=SOMNATH, **kwargs):
    return service.report_sos(user=pilgrim, type="medical", lat=at[0], lng=at[1], **kwargs)


def zone_critical(temple, zone="mainDarshan", at=SOMNATH):
    happen("temples.zone_critical", temple=temple.slug, temple_id=temple.id, zone=zone, name="Main darshan hall",
           count=96, capacity=100, density_pct=96.0, lat=at[0], lng=at[1], at=utcnow().isoformat())


def incidents() -> list[Incident]:
    db.session.expire_all()
    return list(db.session.query(Incident).order_by(Incident.id))


def related(incident) -> list[str]:
    return IncidentSchema().dump(incident)["related"]


def test_a_second_sos_within_the_radius_joins_the_first(pilgrim, person):
    first = sos(pilgrim)
    second = sos(person("user", "Ravi Kumar"), at=north(250))
    assert second.primary_id == first.id
    assert related(first) == [second.code] and related(second) == [first.code]
    assert IncidentSchema().dump(second)["primary"] == first.code
    assert first.steps[-1].action == "linked" and second.code in first.steps[-1].note


def test_too_far_or_too_late_stays_separate(pilgrim, clock):
    first = sos(pilgrim)
    assert sos(pilgrim, at=north(350)).primary_id is None
    clock.tick(timedelta(minutes=21))
    assert sos(pilgrim).primary_id is None
    assert related(first) == []


def test_a_resolved_incident_attracts_nothing(pilgrim):
    first = sos(pilgrim)
    for step in ("acknowledge_incident", "start_incident", "resolve_incident"):
        getattr(service, step)(code=first.code)
    assert sos(pilgrim).primary_id is None


def test_the_radius_and_window_come_from_config(app, monkeypatch, pilgrim):
    monkeypatch.setitem(app.config, "SAFETY_LINK_RADIUS_M", 1000)
    first = sos(pilgrim)
    assert sos(pilgrim, at=north(900)).primary_id == first.id


def test_a_critical_zone_opens_a_crowd_incident_and_a_critical_alert_joins_it(somnath, captured_events):
    zone_critical(somnath)
    [crowd] = incidents()
    assert (crowd.source, crowd.type, crowd.severity, crowd.zone) == ("crowd", "crowd", "high", "mainDarshan")
    assert crowd.title == "Main darshan hall is critically crowded" and "96.0%" in crowd.description
    from app.alerts import service as alerts

    alerts.create_alert(scope="zone", severity="critical", temple="somnath", zone="mainDarshan",
                        title="Hold entries", message="Main hall full", source="crowd")
    crowd, alert = incidents()
    assert alert.primary_id == crowd.id and alert.source == "alert" and alert.reported_by_name == "Platform alerts"
    assert [e.name for e in captured_events if e.channel == "emergency"][-2:] == [
        "safety.incident_updated", "safety.incident_reported"]


def test_the_same_critical_zone_again_does_not_open_a_second_ticket(somnath):
    zone_critical(somnath)
    zone_critical(somnath)
    assert len(incidents()) == 1


def test_an_sos_in_a_critical_zone_joins_the_crowd_incident(somnath, pilgrim):
    zone_critical(somnath)
    [crowd] = incidents()
    assert sos(pilgrim, at=north(100), temple="somnath", zone="mainDarshan").primary_id == crowd.id


def test_an_alert_with_nothing_open_nearby_and_non_critical_alerts_are_ignored(somnath):
    from app.alerts import service as alerts

    alerts.create_alert(scope="temple", severity="critical", temple="somnath", title="Gate closed", message="m")
    alerts.create_alert(scope="city", severity="critical", title="Cyclone watch", message="m")
    assert incidents() == []
    zone_critical(somnath)
    alerts.create_alert(scope="zone", severity="warning", temple="somnath", zone="mainDarshan", title="t", message="m")
    alerts.create_alert(scope="zone", severity="critical", temple="somnath", zone="garbhaGriha", title="Other zone",
                        message="m")
    assert len(incidents()) == 1


@pytest.mark.parametrize(("severity", "opens"), [("critical", True), ("warning", False), ("info", False)])
def test_an_air_quality_alarm_opens_an_incident_only_when_critical(severity, opens):
    happen("city.environment_alert", zone="Veraval port", aqi=412, category="Severe", previous_category="Very Poor",
           dominant_pollutant="PM2.5", severity=severity, lat=SOMNATH[0], lng=SOMNATH[1], at=utcnow().isoformat())
    found = incidents()
    assert len(found) == int(opens)
    if opens:
        assert (found[0].type, found[0].zone, found[0].location_text) == ("environment", None, "City zone Veraval port")
        assert found[0].title == "Air quality Severe in Veraval port (AQI 412)"


def test_an_air_alarm_and_a_full_car_park_near_an_sos_join_it(pilgrim):
    first = sos(pilgrim)
    happen("city.environment_alert", zone="Veraval port", aqi=260, category="Poor", previous_category="Moderate",
           dominant_pollutant="PM10", severity="warning", lat=north(120)[0], lng=SOMNATH[1], at=utcnow().isoformat())
    happen("parking.lot_full", lot_id=7, name="Somnath Temple Parking", total_spots=40, lat=north(200)[0],
           lng=SOMNATH[1], at=utcnow().isoformat())
    happen("parking.lot_full", lot_id=8, name="Bus stand lot", total_spots=40, lat=north(5000)[0], lng=SOMNATH[1],
           at=utcnow().isoformat())
    happen("parking.lot_full", lot_id=9, name="Lot without a position", total_spots=40, lat=None, lng=None,
           at=utcnow().isoformat())
    db.session.expire_all()
    assert sorted(i.source for i in first.linked) == ["environment", "parking"]
    assert len(related(first)) == 2 and len(incidents()) == 3


def test_a_safety_broadcast_does_not_link_back_to_its_own_incident(somnath, pilgrim):
    sos(pilgrim, temple="somnath")
    service.send_broadcast(severity="critical", title="Avoid the main hall", message="Medical emergency inside",
                           scope="temple", temple="somnath", channels=["app"])
    assert len(incidents()) == 1
