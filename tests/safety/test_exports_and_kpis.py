"""Safety data in the platform's exports and KPIs (PW-17, PW-18, CR-3, CR-4): datasets incidents, inspections,
trainings and hazards as CSV/XLSX/PDF; a reporter exports only their own incidents; the figures on /reports/kpis."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from app.safety import service
from tests.conftest import bearer
from tests.factories.safety import HazardFactory, IncidentFactory, TrainingFactory, UnitFactory
from tests.safety.conftest import SOMNATH, TODAY


def export(client, headers, dataset: str, fmt: str = "csv", **filters) -> dict:
    r = client.post("/api/v1/reports/exports", json={"dataset": dataset, "format": fmt, "filters": filters},
                    headers=headers)
    assert r.status_code == 202, r.get_json()
    return client.get(f"/api/v1/reports/exports/{r.get_json()['id']}", headers=headers).get_json()


def rows_of(client, headers, job) -> list[dict]:
    assert job["status"] == "done", job
    return list(csv.DictReader(io.StringIO(client.get(job["download_url"], headers=headers).get_data(as_text=True))))


@pytest.fixture
def officer_headers(officer):
    return bearer(officer)


def test_incidents_export_with_response_minutes(client, officer_headers, pilgrim, clock):  # PW-18
    unit = UnitFactory().id
    incident = service.report_sos(user=pilgrim, type="medical", lat=SOMNATH[0], lng=SOMNATH[1])
    clock.tick(timedelta(minutes=3))
    service.acknowledge_incident(code=incident.code)
    service.dispatch_unit(code=incident.code, unit_id=unit)
    IncidentFactory(type="fire")
    rows = rows_of(client, officer_headers, export(client, officer_headers, "incidents"))
    assert [r["Code"] for r in rows][0] == incident.code and len(rows) == 2
    assert float(rows[0]["Min. to ack."]) == pytest.approx(3, abs=0.2) and rows[0]["Min. to arrive"] == ""
    fire = rows_of(client, officer_headers, export(client, officer_headers, "incidents", type="fire"))
    assert [r["Type"] for r in fire] == ["fire"]
    bad = export(client, officer_headers, "incidents", type="volcano")
    assert bad["status"] == "failed" and "type" in bad["error"]


def test_a_reporter_exports_only_their_own_incidents(client, pilgrim):
    mine = service.report_sos(user=pilgrim, type="lost_person", lat=21.5, lng=70.9)
    IncidentFactory()
    headers = bearer(pilgrim)
    assert [r["Code"] for r in rows_of(client, headers, export(client, headers, "incidents"))] == [mine.code]


def test_workplace_datasets(client, officer_headers, officer):  # CR-3
    insp = service.create_inspection(title="Fire walk", site="Main hall", due_on=TODAY, items=["Exits"])
    service.record_results(inspection_id=insp.id, results=[{"item_id": insp.items[0].id, "result": "fail"}])
    TrainingFactory(person="Sita Rao", valid_until=TODAY + timedelta(days=10))
    HazardFactory(title="Wet floor")
    [inspection] = rows_of(client, officer_headers, export(client, officer_headers, "inspections"))
    assert (inspection["Failed items"], inspection["Open actions"], inspection["Status"]) == ("1", "1", "completed")
    [training] = rows_of(client, officer_headers, export(client, officer_headers, "trainings"))
    assert (training["Person"], training["State"]) == ("Sita Rao", "expiring")
    job = export(client, officer_headers, "hazards", "xlsx")
    sheet = load_workbook(io.BytesIO(client.get(job["download_url"], headers=officer_headers).data)).active
    assert [c.value for c in sheet[1]][:2] == ["ID", "Hazard"] and sheet.cell(2, 2).value == "Wet floor"
    assert export(client, officer_headers, "trainings", "pdf")["status"] == "done"


def test_operators_may_not_export_workplace_records(client, person):
    r = client.post("/api/v1/reports/exports", json={"dataset": "hazards", "format": "csv"},
                    headers=bearer(person("operator", "Kiran Desai")))
    assert r.status_code == 403


def test_safety_figures_are_on_the_kpi_board(client, person, pilgrim):
    service.report_sos(user=pilgrim, type="fire", lat=21.0, lng=70.0)
    UnitFactory()
    HazardFactory(likelihood=4, severity=5, risk_score=20, band="extreme")
    kpis = {k["name"]: k["value"] for k in client.get("/api/v1/reports/kpis",
                                                       headers=bearer(person("operator", "Kiran Desai"))).get_json()
            ["kpis"]}
    assert (kpis["safety.incidents"], kpis["safety.sos"], kpis["safety.open_incidents"]) == (1, 1, 1)
    assert (kpis["safety.units_available"], kpis["safety.open_high_risks"]) == (1, 1)
