"""Emergency statistics (PW-17, SC-7): counts, weeks, mean and p90 response minutes, and the PNG chart."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.safety import service
from app.safety.service.stats import percentile
from tests.safety.conftest import MONDAY


def test_percentile_interpolates_between_ranks():
    assert percentile([], 90) is None
    assert percentile([7.0], 90) == 7.0
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90) == pytest.approx(9.1)
    assert percentile([10, 0], 50) == 5


def _handled(pilgrim, clock, *, ack: int, dispatch: int, arrive: int, resolve: int, at=(20.0, 70.0)):
    """An SOS acknowledged, served and resolved after these minutes."""
    incident = service.report_sos(user=pilgrim, type="medical", lat=at[0], lng=at[1])
    unit = service.create_unit(kind="ambulance", name=f"108 for {incident.code}", lat=at[0], lng=at[1] + 0.01)
    for minute, action in sorted([(ack, "ack"), (dispatch, "dispatch"), (arrive, "arrive")]):
        clock.move_to(incident.reported_at + timedelta(minutes=minute))
        if action == "ack":
            service.acknowledge_incident(code=incident.code)
            service.start_incident(code=incident.code)
        elif action == "dispatch":
            service.dispatch_unit(code=incident.code, unit_id=unit.id)
        else:
            service.unit_arrived(unit_id=unit.id)
    clock.move_to(incident.reported_at + timedelta(minutes=resolve))
    return service.resolve_incident(code=incident.code)


def test_response_minutes_mean_and_p90(pilgrim, officer, clock):  # SC-7
    base = clock.time_to_freeze
    for n, (ack, dispatch, arrive, resolve) in enumerate([(1, 2, 8, 30), (2, 3, 10, 40), (3, 5, 12, 50),
                                                          (4, 6, 20, 60)]):
        clock.move_to(base + timedelta(hours=n))
        _handled(pilgrim, clock, ack=ack, dispatch=dispatch, arrive=arrive, resolve=resolve, at=(20.0 + n, 70.0))
    service.report_incident(user=officer, type="near_miss", severity="low", title="Loose tile")
    stats = service.incident_stats()
    assert stats["total"] == 5
    assert stats["by_type"] == {"medical": 4, "near_miss": 1}
    assert stats["by_status"] == {"reported": 1, "acknowledged": 0, "in_progress": 0, "resolved": 4}
    assert stats["by_severity"] == {"low": 1, "medium": 0, "high": 0, "critical": 4}
    times = stats["response_minutes"]
    assert times["acknowledge"] == {"count": 4, "mean": 2.5, "p90": 3.7}
    assert times["dispatch"] == {"count": 4, "mean": 4.0, "p90": 5.7}
    assert times["arrive"] == {"count": 4, "mean": 12.5, "p90": 17.6}
    assert times["resolve"] == {"count": 4, "mean": 45.0, "p90": 57.0}


def test_weeks_are_counted_in_the_city_calendar_with_empty_weeks_kept(pilgrim, clock):
    clock.move_to(MONDAY)  # 2026-03-09, ISO week 11
    base = clock.time_to_freeze
    for days in (0, 1, 15):
        clock.move_to(base + timedelta(days=days))
        service.report_sos(user=pilgrim, type="fire", lat=20.0 + days, lng=70.0)
    weeks = service.incident_stats()["by_week"]
    assert [(w["week"], w["count"]) for w in weeks] == [("2026-W11", 2), ("2026-W12", 0), ("2026-W13", 1)]
    assert [w["by_type"] for w in weeks] == [{"fire": 2}, {}, {"fire": 1}]


def test_stats_filter_by_temple_and_period(pilgrim, somnath, clock):
    service.report_sos(user=pilgrim, type="fire", lat=20.888, lng=70.401, temple="somnath")
    clock.tick(timedelta(days=1))
    later = service.report_sos(user=pilgrim, type="medical", lat=22.2, lng=68.9)
    assert service.incident_stats(temple="somnath")["by_type"] == {"fire": 1}
    assert service.incident_stats(date_from=later.reported_at)["by_type"] == {"medical": 1}
    assert service.incident_stats(date_to=later.reported_at)["total"] == 1


def test_the_chart_is_a_png(pilgrim):
    service.report_sos(user=pilgrim, type="fire", lat=20.0, lng=70.0)
    png = service.stats_chart(service.incident_stats())
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000
    assert service.stats_chart(service.incident_stats(temple=None, date_to=None)).startswith(b"\x89PNG")
