"""Temple resources (PW-16): ambulances, security posts, facilities; status and maintenance."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.auth import service as auth_service
from app.core import notify
from app.core.events import transactional
from app.core.timeutil import local_today
from app.extensions import db
from app.temples import events
from app.temples.errors import ResourceNotFound
from app.temples.models import Resource
from app.temples.service.temples import get_temple

FIELDS = ("kind", "name", "status", "quantity", "next_maintenance")


def list_resources(*, temple_slug: str, kind: str | None = None, status: str | None = None) -> list[Resource]:
    """The temple's resources, optionally of one kind or status."""
    temple = get_temple(slug=temple_slug)
    stmt = select(Resource).where(Resource.temple_id == temple.id).order_by(Resource.kind, Resource.name)
    if kind:
        stmt = stmt.where(Resource.kind == kind)
    if status:
        stmt = stmt.where(Resource.status == status)
    return list(db.session.scalars(stmt))


@transactional
def add_resource(*, temple_slug: str, **values) -> Resource:
    """Register an ambulance, security post or facility."""
    temple = get_temple(slug=temple_slug)
    resource = Resource(temple_id=temple.id, **{k: values.get(k) for k in FIELDS if k in values})
    db.session.add(resource)
    db.session.flush()
    events.resource_created(resource, {k: [None, values[k]] for k in FIELDS if k in values})
    return resource


@transactional
def update_resource(*, resource_id: int, values: dict) -> Resource:
    """Change a resource's status, quantity, name or maintenance date."""
    resource = db.session.get(Resource, resource_id)
    if resource is None:
        raise ResourceNotFound()
    changes = {k: [getattr(resource, k), v] for k, v in values.items() if k in FIELDS and getattr(resource, k) != v}
    for key, (_old, new) in changes.items():
        setattr(resource, key, new)
    events.resource_updated(resource, changes)
    return resource


def remind_maintenance_due(*, within_days: int = 7) -> int:
    """Tell operators about maintenance due soon: once per resource and due date."""
    today = local_today()
    due = list(db.session.scalars(select(Resource).where(
        Resource.next_maintenance.is_not(None), Resource.next_maintenance <= today + timedelta(days=within_days))
        .order_by(Resource.next_maintenance)))
    operators = [u.email for u in auth_service.users_by_role("operator", "admin")]
    sent = 0
    for resource in due:
        sent += _remind(resource, operators, today)
    return sent


@transactional
def _remind(resource: Resource, recipients: list[str], today: date) -> int:
    when = resource.next_maintenance
    overdue = " (overdue)" if when < today else ""
    subject = f"Maintenance due {when:%d %b}{overdue}: {resource.name}"
    body = f"{resource.kind.replace('_', ' ').title()} '{resource.name}' (quantity {resource.quantity}, " \
           f"status {resource.status}) is due for maintenance on {when:%A %d %B %Y}{overdue}."
    for email in recipients:
        notify.send("email", email, subject, body, dedupe_key=f"maintenance:{resource.id}:{when}:{email}")
    return len(recipients)
