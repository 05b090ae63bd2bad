"""The audit log as an export dataset (admins only)."""

from __future__ import annotations

from datetime import datetime

from app.core.audit import audit_query
from app.core.errors import ValidationFailed
from app.extensions import db
from app.reports.datasets import Column, Dataset, register_dataset

COLUMNS = [Column("at", "Time", 18), Column("actor", "Actor", 24), Column("action", "Action", 10),
           Column("entity", "Entity", 14), Column("entity_id", "Entity id", 10), Column("changes", "Changes", 40),
           Column("request_id", "Request id", 20), Column("ip", "IP", 14)]


def _when(filters: dict, key: str):
    value = filters.get(key)
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValidationFailed({key: ["Use an ISO 8601 date or time."]}) from exc


def audit_rows(*, owner_id: int, is_admin: bool, filters: dict):
    """Yield audit entries, oldest first, streamed from the database."""
    stmt = audit_query(entity=filters.get("entity"), action=filters.get("action"),
                       since=_when(filters, "from"), until=_when(filters, "to")).order_by(None)
    for entry in db.session.scalars(stmt.execution_options(yield_per=500)):
        yield {"at": entry.at, "actor": entry.actor_label or entry.actor_kind, "action": entry.action,
               "entity": entry.entity, "entity_id": entry.entity_id,
               "changes": "; ".join(f"{k}: {v[0]} → {v[1]}" for k, v in (entry.changes or {}).items()),
               "request_id": entry.request_id, "ip": entry.ip}


def register_audit_dataset() -> None:
    register_dataset(Dataset(name="audit", title="Audit trail", columns=COLUMNS, rows=audit_rows, roles=("admin",),
                             filters={"entity": "entity name", "action": "action", "from": "ISO time",
                                      "to": "ISO time"}))
