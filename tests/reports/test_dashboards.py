"""Dashboards (SC-8): default layouts with data, a user's own layout, validation; alert and weekly summaries."""

from datetime import timedelta

import pytest

from app.alerts import service as alerts
from app.core.timeutil import utcnow
from app.reports.service.dashboards import DEFAULTS
from tests.conftest import assert_error
from tests.factories.parking import LotFactory
from tests.factories.temples import BookingFactory, SlotFactory, TempleFactory, ZoneFactory

pytestmark = pytest.mark.usefixtures("clock")
URL = "/api/v1/reports/dashboards"


@pytest.fixture
def places():
    temple = TempleFactory(name="Shree Somnath", slug="somnath")
    ZoneFactory(temple=temple, slug="main", name="Main hall", capacity=100, last_count=85, last_at=utcnow())
    ZoneFactory(temple=temple, slug="queue", name="Queue", capacity=200, last_count=20, last_at=utcnow())
    LotFactory(name="Temple Parking", total_spots=4)
    BookingFactory(slot=SlotFactory(temple=temple), created_at=utcnow())
    return temple


def widget(body, kind, source):
    return next(w for w in body["widgets"] if w["kind"] == kind and w["source"] == source)


@pytest.mark.parametrize("slug", list(DEFAULTS))
def test_every_default_dashboard_resolves_for_an_admin(client, auth_headers, places, slug):
    r = client.get(f"{URL}/{slug}", headers=auth_headers("admin"))
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["slug"] == slug and body["title"] and body["custom"] is False
    assert [(w["kind"], w["source"]) for w in body["widgets"]] == [(w["kind"], w["source"]) for w in DEFAULTS[slug]]
    for w in body["widgets"]:
        assert w["error"] is None and w["data"] is not None and w["title"], w


def test_widget_data_is_drawable(client, auth_headers, places):
    body = client.get(f"{URL}/temples", headers=auth_headers("operator")).get_json()
    kpi = widget(body, "kpi", "temples.bookings")
    assert kpi["title"] == "Darshan bookings made" and kpi["data"]["value"] == 1 and kpi["data"]["previous"] == 0
    series = widget(body, "series", "temples.pilgrims_booked")["data"]
    assert len(series["points"]) == 14 and series["points"][-1] == {"date": "2026-03-09", "value": 2}
    [temple] = widget(body, "map", "temples.crowd")["data"]["points"]
    assert temple["label"] == "Shree Somnath" and temple["lat"] == 20.888
    assert {z["zone"]: z["level"] for z in temple["zones"]} == {"main": "critical", "queue": "low"}
    [grid] = widget(body, "heatmap", "temples.crowd")["data"]["grids"]
    assert grid["rows"] == ["main", "queue"] and grid["columns"] == list(range(24))
    table = widget(body, "table", "bookings")["data"]
    assert [c["key"] for c in table["columns"]][:2] == ["code", "temple"]
    assert table["rows"][0]["temple"] == "Shree Somnath"
    [lot] = widget(client.get(f"{URL}/parking", headers=auth_headers("operator")).get_json(), "map",
                   "parking.lots")["data"]["points"]
    assert lot["label"] == "Temple Parking" and lot["value"] == 0.0 and lot["available_spots"] == 4
    assert lot["level"] == "low" and lot["lat"] == 20.8873


def test_a_user_stores_their_own_layout_and_others_keep_the_default(client, auth_headers, places):
    mine, other = auth_headers("operator"), auth_headers("safety_officer")
    layout = {"widgets": [{"kind": "kpi", "source": "parking.revenue", "title": "Revenue today"},
                          {"kind": "series", "source": "parking.reservations", "days": 3},
                          {"kind": "table", "source": "reservations", "limit": 2},
                          {"kind": "map", "source": "parking.lots"}]}
    r = client.put(f"{URL}/parking", json=layout, headers=mine)
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["custom"] is True and [w["source"] for w in body["widgets"]] == [
        "parking.revenue", "parking.reservations", "reservations", "parking.lots"]
    assert body["widgets"][0]["title"] == "Revenue today" and body["widgets"][0]["data"]["value"] == "0.00"
    assert len(body["widgets"][1]["data"]["points"]) == 3 and body["widgets"][2]["data"]["limit"] == 2
    assert client.get(f"{URL}/parking", headers=mine).get_json()["custom"] is True
    assert client.get(f"{URL}/parking", headers=other).get_json()["custom"] is False
    layout["widgets"] = layout["widgets"][:1]  # a second PUT replaces the first
    assert len(client.put(f"{URL}/parking", json=layout, headers=mine).get_json()["widgets"]) == 1


@pytest.mark.parametrize("widgets, path", [
    ([{"kind": "pie", "source": "temples.bookings"}], ("0", "kind")),
    ([{"kind": "kpi", "source": "temples.horoscopes"}], ("0", "source")),
    ([{"kind": "kpi", "source": "temples.bookings"}, {"kind": "map", "source": "parking.revenue"}], ("1", "source")),
    ([{"kind": "series", "source": "parking.occupancy_pct"}], ("0", "source")),  # a gauge has no trend
    ([{"kind": "table", "source": "nope"}], ("0", "source")),
    ([{"kind": "series", "source": "temples.bookings", "days": 400}], ("0", "days")),
    ([{"kind": "kpi"}], ("0", "source")),
    ([{"kind": "kpi", "source": "temples.bookings", "colour": "red"}], ("0", "colour")),
])
def test_invalid_layouts_are_422_naming_the_widget_and_field(client, auth_headers, widgets, path):
    body = assert_error(client.put(f"{URL}/executive", json={"widgets": widgets}, headers=auth_headers("operator")),
                        422)
    index, field = path
    assert field in body["errors"]["widgets"][index], body


def test_too_many_widgets_and_forbidden_tables(client, auth_headers):
    many = {"widgets": [{"kind": "kpi", "source": "temples.bookings"}] * 25}
    assert "widgets" in assert_error(client.put(f"{URL}/executive", json=many, headers=auth_headers("admin")),
                                     422)["errors"]
    audit = {"widgets": [{"kind": "table", "source": "audit"}]}
    body = assert_error(client.put(f"{URL}/executive", json=audit, headers=auth_headers("reception")), 422)
    assert "may not read" in body["errors"]["widgets"]["0"]["source"][0]


def test_unknown_slug_is_404_and_pilgrims_are_403(client, auth_headers):
    assert_error(client.get(f"{URL}/weather", headers=auth_headers("reception")), 404)
    assert_error(client.put(f"{URL}/weather", json={"widgets": []}, headers=auth_headers("reception")), 404)
    assert_error(client.get(f"{URL}/executive", headers=auth_headers("user")), 403)
    assert_error(client.get(f"{URL}/executive"), 401)


def test_alerts_summary_counts_active_alerts_by_severity_and_domain(client, auth_headers):
    alerts.create_alert(scope="city", severity="warning", title="Poor air", message="AQI 250",
                        source="city.environment")
    alerts.create_alert(scope="city", severity="info", title="Festival", message="Parade at 5", source="broadcast")
    alerts.create_alert(scope="city", severity="warning", title="Gone", message="over",
                        expires_at=utcnow() + timedelta(minutes=1))
    later = utcnow() + timedelta(minutes=5)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("app.alerts.service.utcnow", lambda: later)
        r = client.get("/api/v1/reports/alerts-summary", headers=auth_headers("reception"))
    assert r.status_code == 200
    body = r.get_json()
    assert body["total"] == 2 and body["by_severity"] == {"critical": 0, "warning": 1, "info": 1}
    assert body["by_domain"] == {"city": 1, "other": 1} and body["by_source"] == {"broadcast": 1, "city.environment": 1}
    assert {a["title"] for a in body["latest"]} == {"Poor air", "Festival"}
    assert_error(client.get("/api/v1/reports/alerts-summary", headers=auth_headers("user")), 403)


def test_weekly_compares_the_last_7_days_with_the_7_before(client, auth_headers, places):
    temple = places
    for n, days_ago in enumerate((1, 8, 9)):
        at = utcnow().replace(microsecond=0) - timedelta(days=days_ago)
        BookingFactory(slot=SlotFactory(temple=temple, starts_at=at + timedelta(hours=3, minutes=n)), created_at=at)
    r = client.get("/api/v1/reports/weekly", headers=auth_headers("safety_officer"))
    assert r.status_code == 200
    body = r.get_json()
    assert (body["from"], body["to"], body["previous_from"], body["previous_to"]) == (
        "2026-03-03", "2026-03-09", "2026-02-24", "2026-03-02")
    bookings = next(f for f in body["figures"] if f["name"] == "temples.bookings")
    assert (bookings["value"], bookings["previous"], bookings["change_pct"]) == (2, 2, 0.0)
    assert all(f["kind"] == "daily" for f in body["figures"])
    assert_error(client.get("/api/v1/reports/weekly", headers=auth_headers("user")), 403)
