"""The ``alerts`` export dataset: alert history with place, severity and times (operators, admins)."""

from __future__ import annotations

from app.alerts import service
from app.core.datasets import DATE_RANGE, Column, Dataset

COLUMNS = [Column("id", "ID", 6, "int"), Column("created_at", "Raised", 16, "datetime"),
           Column("severity", "Severity", 9), Column("scope", "Scope", 7), Column("temple", "Temple", 12),
           Column("zone", "Zone", 12), Column("title", "Title", 30), Column("status", "Status", 9),
           Column("source", "Source", 9), Column("expires_at", "Expires", 16, "datetime"),
           Column("cancelled_at", "Cancelled", 16, "datetime")]


def alert_rows(*, owner_id: int, is_admin: bool, filters: dict):
    """Yield alerts oldest first (``severity``, ``date_from``/``date_to`` on the day raised)."""
    for alert in service.alerts_for_export(filters=filters):
        yield {c.key: getattr(alert, c.key) for c in COLUMNS}


DATASETS = [Dataset(name="alerts", title="Alerts", columns=COLUMNS, rows=alert_rows,
                    roles=("operator", "safety_officer", "admin"), all_roles=("operator", "safety_officer", "admin"),
                    filters={"severity": "info, warning or critical", **DATE_RANGE})]
