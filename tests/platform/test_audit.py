"""Audit trail (CR-6): who, what, which entity, before/after, request id, IP, time; admin reading."""

import json
from datetime import timedelta

from app.core.timeutil import utcnow
from tests.conftest import assert_error, bearer


def test_change_is_recorded_with_actor_changes_request_and_ip(client, make_user):
    admin = make_user("admin", email="root@sangam.in")
    headers = {**bearer(admin), "X-Request-ID": "audit-req-1"}
    staff = {"email": "op@sangam.in", "password": "Operat0r-pass", "full_name": "Op", "role": "operator"}
    r = client.post("/api/v1/users", json=staff, headers=headers, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    uid = r.get_json()["id"]
    client.patch(f"/api/v1/users/{uid}", json={"role": "reception"}, headers=headers)
    entries = client.get(f"/api/v1/audit?entity=user&entity_id={uid}", headers=bearer(admin)).get_json()
    update, create = entries
    assert update["action"] == "update" and update["changes"] == {"role": ["operator", "reception"]}
    assert (update["actor_kind"], update["actor_id"], update["actor_label"]) == ("user", admin.id, "root@sangam.in")
    assert create["action"] == "create" and create["request_id"] == "audit-req-1" and create["ip"] == "10.1.2.3"
    assert update["at"].endswith("+00:00")


def test_password_values_never_reach_the_trail(client, make_user):
    admin = make_user("admin")
    user = make_user(email="pw@sangam.in")
    client.post("/api/v1/auth/me/password", json={"current_password": "Correct-h0rse-battery",
                                                   "new_password": "Another-passw0rd"}, headers=bearer(user))
    [entry] = client.get(f"/api/v1/audit?actor_id={user.id}", headers=bearer(admin)).get_json()
    assert entry["changes"] == {"password": ["***", "***"]}


def test_filters_pagination_and_admin_only(client, make_user):
    admin = make_user("admin")
    headers = bearer(admin)
    for i in range(3):
        make_user(email=f"u{i}@sangam.in")
    assert_error(client.get("/api/v1/audit", headers=bearer(make_user("operator"))), 403)
    r = client.get("/api/v1/audit?action=create&page_size=2", headers=headers)
    assert len(r.get_json()) == 2 and json.loads(r.headers["X-Pagination"])["total"] == 5
    future = (utcnow() + timedelta(hours=1)).isoformat()
    assert client.get("/api/v1/audit", query_string={"from": future}, headers=headers).get_json() == []
    assert client.get("/api/v1/audit?actor_kind=device", headers=headers).get_json() == []
    assert_error(client.get("/api/v1/audit?actor_kind=martian", headers=headers), 422)
