"""Visitor figures: KPIs (visitors today, on site now, overstays), the ``visits`` export, live reception updates."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from app.extensions import socketio
from app.visitors import service
from app.visitors.models import CHECKED_IN, CHECKED_OUT
from tests.conftest import assert_error, bearer
from tests.factories import UserFactory
from tests.factories.visitors import VisitFactory
from tests.visitors.conftest import START


def kpis(client, headers) -> dict:
    r = client.get("/api/v1/reports/kpis", headers=headers)
    assert r.status_code == 200, r.get_json()
    return {k["name"]: k for k in r.get_json()["kpis"]}


def test_kpis_visitors_today_on_site_and_overstays(client, make_user, frozen_clock):  # CR-4 figures
    VisitFactory(status=CHECKED_OUT)
    VisitFactory(status=CHECKED_IN)
    VisitFactory(status=CHECKED_IN, expected_at=START - timedelta(hours=9), valid_until=START - timedelta(minutes=5),
                 checked_in_at=START - timedelta(hours=8))  # inside since 02:00 IST, pass ended five minutes ago
    VisitFactory()  # expected, not here yet
    figures = kpis(client, bearer(make_user("operator")))
    assert figures["visitors.visitors_today"]["value"] == 3 and figures["visitors.visitors_today"]["kind"] == "daily"
    assert figures["visitors.on_site"]["value"] == 2 and figures["visitors.on_site"]["kind"] == "live"
    assert figures["visitors.overstays"]["value"] == 1


def export_visits(client, headers, **filters) -> list[dict]:
    r = client.post("/api/v1/reports/exports", json={"dataset": "visits", "format": "csv", "filters": filters},
                    headers=headers)
    assert r.status_code == 202, r.get_json()
    job = client.get(f"/api/v1/reports/exports/{r.get_json()['id']}", headers=headers).get_json()
    assert job["status"] == "done", job
    return list(csv.DictReader(io.StringIO(client.get(job["download_url"], headers=headers).get_data(as_text=True))))


def test_visits_export_reception_sees_all_a_host_their_own(client, make_user):  # CR-4 dataset
    host = UserFactory(full_name="Meera Iyer")
    mine = VisitFactory(host_id=host.id, status=CHECKED_OUT, purpose="Audit")
    VisitFactory(status=CHECKED_IN)
    rows = export_visits(client, bearer(make_user("reception")))
    assert len(rows) == 2 and {r["Status"] for r in rows} == {"checked_out", "checked_in"}
    [own] = export_visits(client, bearer(host))
    assert (own["Code"], own["Host"], own["Purpose"]) == (mine.code, "Meera Iyer", "Audit")
    assert own["Minutes inside"] == "120"
    assert len(export_visits(client, bearer(make_user("reception")), status="checked_in")) == 1


def test_visits_export_refuses_a_bad_status_filter(client, make_user):
    headers = bearer(make_user("reception"))
    r = client.post("/api/v1/reports/exports", json={"dataset": "visits", "format": "csv",
                                                     "filters": {"status": "inside"}}, headers=headers)
    if r.status_code == 202:  # validated in the job: the job fails with the reason
        job = client.get(f"/api/v1/reports/exports/{r.get_json()['id']}", headers=headers).get_json()
        assert job["status"] == "failed" and "status" in job["error"]
    else:
        assert_error(r, 422)


def test_reception_screens_get_visit_updates_live(app, reception, host, frozen_clock, make_user):
    from app.auth import service as auth_service

    desk_id, host_id = reception.id, host.id  # socket handlers end the session: keep ids
    desk = socketio.test_client(app, auth={"token": bearer(reception)["Authorization"][7:]})
    assert desk.emit("subscribe", {"channel": "visitors"}, callback=True) == {"ok": True, "room": "visitors"}
    outsider = socketio.test_client(app, auth={"token": bearer(make_user("user"))["Authorization"][7:]})
    assert outsider.emit("subscribe", {"channel": "visitors"}, callback=True)["error"] == "forbidden"
    view = service.invite_visitor(actor=auth_service.get_user(desk_id), host_id=host_id, purpose="Audit",
                                  visitor={"name": "Ravi Contractor", "phone": "+91 98765 43210"},
                                  expected_at=START + timedelta(hours=1))
    frozen_clock.move_to(START + timedelta(minutes=40))
    service.check_in(code=view["code"])
    updates = [e["args"][0] for e in desk.get_received() if e["name"] == "visit_update"]
    assert [(u["code"], u["status"]) for u in updates] == [(view["code"], "expected"), (view["code"], "checked_in")]
    assert outsider.get_received() == []


@pytest.mark.parametrize("path", ["/api/v1/visitors/visits", "/api/v1/visitors/blocklist"])
def test_creates_honour_idempotency_keys(client, reception, host, path):
    body = ({"visitor": {"name": "Ravi Contractor", "phone": "+91 98765 43210"}, "host_id": host.id,
             "purpose": "Audit", "expected_at": (START + timedelta(hours=1)).isoformat()}
            if path.endswith("visits") else {"phone": "+91 90000 12345", "reason": "Trespassing"})
    headers = {**bearer(reception), "Idempotency-Key": "desk-retry-1"}
    first = client.post(path, json=body, headers=headers)
    again = client.post(path, json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.get_json() == again.get_json() and again.headers["Idempotent-Replayed"] == "true"
    other = {**body, "purpose": "Other"} if path.endswith("visits") else {**body, "reason": "Another reason"}
    assert_error(client.post(path, json=other, headers=headers), 409, "idempotency_mismatch")
