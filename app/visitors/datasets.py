"""The ``visits`` export dataset (CR-2): reception and admins export every visit, a host their own."""

from __future__ import annotations

from app.core.datasets import DATE_RANGE, Column, Dataset
from app.core.security import ROLES
from app.visitors import service

COLUMNS = [
    Column("code", "Code", 12), Column("status", "Status", 11), Column("visitor", "Visitor", 24),
    Column("phone", "Phone", 15), Column("host", "Host", 22), Column("purpose", "Purpose", 30),
    Column("expected_at", "Expected", 17, "datetime"), Column("valid_until", "Valid until", 17, "datetime"),
    Column("checked_in_at", "Checked in", 17, "datetime"), Column("checked_out_at", "Checked out", 17, "datetime"),
    Column("minutes_inside", "Minutes inside", 8, "int"),
]

DATASETS = [Dataset(name="visits", title="Visits", columns=COLUMNS, rows=service.visit_rows, roles=ROLES,
                    all_roles=("admin", "reception"),
                    filters={"status": "expected, checked_in, checked_out or revoked", "host_id": "a host's user id",
                             **DATE_RANGE})]
