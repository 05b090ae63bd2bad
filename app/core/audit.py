"""The audit trail (CR-6): who changed what, when, from where, with before/after values.

An ``in_transaction`` event subscriber adds one AuditEntry per audited event to the same
transaction as the change, so the trail and the data can never disagree.
"""

from __future__ import annotations

import functools
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Integer, String, func, insert, select
from sqlalchemy.orm import Mapped, mapped_column

from app.core.context import current_actor, current_request_info
from app.core.events import Event, subscribe
from app.core.types import UTCDateTime
from app.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), server_default=func.now(), index=True)
    actor_kind: Mapped[str] = mapped_column(String(12))
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor_label: Mapped[str | None] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(40), index=True)
    entity: Mapped[str] = mapped_column(String(40), index=True)
    entity_id: Mapped[str | None] = mapped_column(String(64))
    event: Mapped[str] = mapped_column(String(80))
    changes: Mapped[dict | None] = mapped_column(JSON)
    request_id: Mapped[str | None] = mapped_column(String(128))
    ip: Mapped[str | None] = mapped_column(String(45))


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def record(evt: Event) -> None:
    """Insert the audit row for an event in the current transaction.

    A Core INSERT sent at once rather than an ORM object flushed at commit: the same one statement, without
    the unit of work's bookkeeping for a row nobody reads back in the request.
    """
    if not evt.audit or not evt.entity:
        return
    actor, req = current_actor(), current_request_info()
    from app.core.timeutil import utcnow

    db.session.execute(_insert_statement(), {
        "at": utcnow(), "actor_kind": actor.kind, "actor_id": actor.id, "actor_label": actor.label,
        "action": evt.action or evt.name.rsplit("_", 1)[-1], "entity": evt.entity,
        "entity_id": None if evt.entity_id is None else str(evt.entity_id), "event": evt.name,
        "changes": _plain(evt.changes) if evt.changes else None, "request_id": req.request_id, "ip": req.ip})


@functools.cache
def _insert_statement():
    return insert(AuditEntry.__table__)


def init_audit() -> None:
    """Subscribe the audit recorder (called by create_app)."""
    subscribe(record, phase="in_transaction")


def audit_query(*, actor_id=None, actor_kind=None, entity=None, entity_id=None, action=None,
                since=None, until=None):
    """Return a select of audit entries, newest first, filtered."""
    stmt = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    filters = {
        AuditEntry.actor_id: actor_id, AuditEntry.actor_kind: actor_kind, AuditEntry.entity: entity,
        AuditEntry.entity_id: None if entity_id is None else str(entity_id), AuditEntry.action: action,
    }
    for column, value in filters.items():
        if value is not None:
            stmt = stmt.where(column == value)
    if since is not None:
        stmt = stmt.where(AuditEntry.at >= since)
    if until is not None:
        stmt = stmt.where(AuditEntry.at < until)
    return stmt
