"""Reading the audit trail (CR-6): admins list and export it; the trail is written by app.core.audit."""

from __future__ import annotations

from datetime import datetime

from app.core.audit import audit_query
from app.core.errors import ValidationFailed
from app.extensions import db


def audit_entries(**filters):
    """A select of audit entries, newest first, filtered by actor, entity, action and time."""
    return audit_query(**filters)


def _when(filters: dict, key: str):
    value = filters.get(key)
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValidationFailed({key: ["Use an ISO 8601 date or time."]}) from exc


def audit_rows(*, owner_id: int, is_admin: bool, filters: dict):
    """Yield audit entries, oldest first, streamed from the database (the ``audit`` dataset)."""
    stmt = audit_query(entity=filters.get("entity"), action=filters.get("action"),
                       since=_when(filters, "from"), until=_when(filters, "to")).order_by(None)
    for entry in db.session.scalars(stmt.execution_options(yield_per=500)):
        yield {"at": entry.at, "actor": entry.actor_label or entry.actor_kind, "action": entry.action,
               "entity": entry.entity, "entity_id": entry.entity_id,
               "changes": "; ".join(f"{k}: {v[0]} → {v[1]}" for k, v in (entry.changes or {}).items()),
               "request_id": entry.request_id, "ip": entry.ip}
