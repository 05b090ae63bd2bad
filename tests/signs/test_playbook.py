"""The crowd playbook: a critical temple zone proposes the crowd alert on the signs around it."""

import pytest

from app.core.events import Event, publish, transactional
from app.core.geo import haversine_m
from app.core.timeutil import utcnow
from app.signs import service
from app.signs.service.playbook import less_crowded, nearby_signs
from app.temples import service as temples
from tests.signs.conftest import names, received

SOMNATH = (20.8880, 70.4013)


@transactional
def zone_turns_critical(place, zone="mainDarshan", name="Main darshan", count=92, capacity=100):
    """What the temples domain publishes (docs/architecture.md: temples.zone_critical)."""
    publish(Event(name="temples.zone_critical", payload={
        **place, "zone": zone, "name": name, "count": count, "capacity": capacity,
        "density_pct": 100.0 * count / capacity, "at": utcnow().isoformat()}))


@pytest.fixture
def somnath(temple):
    """The temple as the event names it (plain values: socket handlers end the test's session)."""
    return {"temple": temple.slug, "temple_id": temple.id, "lat": temple.lat, "lng": temple.lng}


@pytest.fixture
def around(temple, somnath, make_sign, connect_sign):
    """Signs: two in the zone, one 200 m away (a neighbour), one 2 km away; crowds in the other zones."""
    temples.record_counts(temple_slug="somnath", readings=[{"zone": "garbhaGriha", "count": 15},
                                                          {"zone": "museum", "count": 20}])
    in_zone = [make_sign(temple="somnath", zone="mainDarshan") for _ in range(2)]
    near = make_sign(zone="parking", lat=SOMNATH[0] + 0.0018, lng=SOMNATH[1])
    far = make_sign(zone="bus_stand", lat=SOMNATH[0] + 0.018, lng=SOMNATH[1])
    clients = [connect_sign(key) for _, key in (*in_zone, near, far)]
    for client in clients:
        client.get_received("/signs")
    return [v for v, _ in (*in_zone, near, far)], clients


def test_neighbours_are_the_zone_and_signs_within_the_radius():
    signs = [(1, 7, "main", 0.0, 0.0), (2, 7, "main", 1.0, 1.0), (3, None, "x", 0.002, 0.0), (4, None, "y", 0.01, 0)]
    assert haversine_m(0, 0, 0.002, 0) < 300 < haversine_m(0, 0, 0.01, 0)
    assert nearby_signs(signs, temple_id=7, zone="main", lat=0.0, lng=0.0, radius_m=300) == [1, 2, 3]


def test_the_alternative_is_the_least_crowded_zone_that_is_not_critical():
    zones = [{"zone": "a", "name": "A", "density_pct": 95.0, "level": "critical"},
             {"zone": "b", "name": "B", "density_pct": 85.0, "level": "critical"},
             {"zone": "c", "name": "C", "density_pct": 61.4, "level": "high"},
             {"zone": "d", "name": "D", "density_pct": 40.0, "level": "moderate"}]
    assert less_crowded(zones, "a") == "D (40% full)"
    assert less_crowded(zones[:2], "a") is None


def test_a_critical_zone_proposes_the_crowd_alert_around_it(somnath, around, operator_socket):
    views, clients = around
    operator_socket.get_received()
    zone_turns_critical(somnath)
    [(event, proposal)] = received(operator_socket)
    assert event == "override_proposed" and proposal["status"] == "proposed" and proposal["source"] == "playbook"
    assert proposal["template"] == "crowd_alert"
    assert proposal["text"] == "Main darshan is very crowded (92% full). Please use Museum (40% full) instead."
    assert sorted(proposal["targets"]["sign_ids"]) == [v["id"] for v in views[:3]]
    assert all(names(c, "/signs") == [] for c in clients)  # nothing shown before an operator approves
    zone_turns_critical(somnath, count=97)  # the zone flaps: still one proposal
    assert len(service.list_overrides(status="proposed")) == 1
    service.approve_override(override_id=proposal["id"])
    assert [names(c, "/signs") for c in clients] == [["override"], ["override"], ["override"], []]


def test_auto_playbook_applies_at_once(app, monkeypatch, somnath, around):
    monkeypatch.setitem(app.config, "SIGNS_AUTO_PLAYBOOK", True)
    views, clients = around
    zone_turns_critical(somnath)
    [active] = service.list_overrides(status="active")
    assert active["signs"] == 3 and active["expires_at"] is not None
    assert [names(c, "/signs") for c in clients] == [["override"], ["override"], ["override"], []]


def test_no_signs_nearby_proposes_nothing(somnath, make_sign):
    make_sign(zone="bus_stand", lat=SOMNATH[0] + 0.05, lng=SOMNATH[1])
    zone_turns_critical(somnath)
    assert service.list_overrides() == []
