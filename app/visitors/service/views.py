"""Visits as plain data: the REST resource, the event payload and the PDF all read these dicts."""

from __future__ import annotations

from app.auth import service as auth_service
from app.core.timeutil import utcnow
from app.visitors.models import CHECKED_IN, Person, Visit
from app.visitors.service import passes


def person_view(person: Person) -> dict:
    """A person as staff see them (the identity number only by its last four characters)."""
    return {"id": person.id, "name": person.name, "phone": person.phone, "email": person.email,
            "id_type": person.id_type, "id_last4": person.id_last4}


def visitor_view(person: Person) -> dict:
    """The visitor inside a visit: the person, named by ``person_id``."""
    view = person_view(person)
    return {"person_id": view.pop("id"), **view}


def host_view(user) -> dict:
    return {"id": user.id, "name": user.full_name, "email": user.email, "phone": user.phone}


def visit_view(visit: Visit, host=None) -> dict:
    """One visit with its visitor, host, pass (token and link) and whether the visitor is overstaying."""
    host = host or auth_service.get_user(visit.host_id)
    token = passes.pass_token(visit.code)
    return {"code": visit.code, "status": visit.status, "token": token, "pass_url": passes.pass_url(visit.code, token),
            "visitor": visitor_view(visit.person), "host": host_view(host), "purpose": visit.purpose,
            "expected_at": visit.expected_at, "valid_from": visit.valid_from, "valid_until": visit.valid_until,
            "checked_in_at": visit.checked_in_at, "checked_out_at": visit.checked_out_at,
            "revoked_at": visit.revoked_at, "revoke_reason": visit.revoke_reason, "created_at": visit.created_at,
            "overstaying": visit.status == CHECKED_IN and utcnow() > visit.valid_until}


def visit_views(visits: list[Visit]) -> list[dict]:
    """Views of many visits, looking each host up once."""
    hosts: dict[int, object] = {}
    for visit in visits:
        if visit.host_id not in hosts:
            hosts[visit.host_id] = auth_service.get_user(visit.host_id)
    return [visit_view(v, hosts[v.host_id]) for v in visits]
