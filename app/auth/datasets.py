"""The ``users`` export dataset (admins): accounts with role and state, never secrets."""

from __future__ import annotations

from app.auth import service
from app.core.datasets import DATE_RANGE, Column, Dataset

COLUMNS = [Column("id", "ID", 6, "int"), Column("email", "E-mail", 28), Column("full_name", "Name", 22),
           Column("phone", "Phone", 14), Column("role", "Role", 12), Column("is_active", "Active", 7),
           Column("created_at", "Created", 16, "datetime")]


def user_rows(*, owner_id: int, is_admin: bool, filters: dict):
    """Yield accounts oldest first (``date_from``/``date_to`` on the creation day, ``role``)."""
    for user in service.users_for_export(filters=filters):
        yield {c.key: getattr(user, c.key) for c in COLUMNS}


DATASETS = [Dataset(name="users", title="User accounts", columns=COLUMNS, rows=user_rows, roles=("admin",),
                    filters={"role": "a role", **DATE_RANGE})]
