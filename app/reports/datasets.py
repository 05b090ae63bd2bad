"""The audit log as an export dataset (admins only)."""

from __future__ import annotations

from app.core.datasets import Column, Dataset
from app.reports import service

COLUMNS = [Column("at", "Time", 18, "datetime"), Column("actor", "Actor", 24), Column("action", "Action", 10),
           Column("entity", "Entity", 14), Column("entity_id", "Entity id", 10), Column("changes", "Changes", 40),
           Column("request_id", "Request id", 20), Column("ip", "IP", 14)]

DATASETS = [Dataset(name="audit", title="Audit trail", columns=COLUMNS, rows=service.audit_rows, roles=("admin",),
                    filters={"entity": "entity name", "action": "action", "from": "ISO time", "to": "ISO time"})]
