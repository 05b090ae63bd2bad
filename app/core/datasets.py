"""The dataset registry: each domain declares its exportable tables once (``datasets.py``).

    DATASETS = [Dataset(
        name="reservations", title="Parking reservations",
        columns=[Column("id", "ID"), Column("lot", "Lot"), Column("cost", "Cost (INR)", kind="money")],
        rows=reservation_rows,          # rows(*, owner_id, is_admin, filters) -> iterable of dicts
        roles=("user", "admin"),        # who may export it
        all_roles=("admin",),           # who sees every row (others: only their own)
        filters={"lot_id": "a lot id", **DATE_RANGE},
    )]

``rows`` runs in the export task with ``owner_id`` (the requesting user), ``is_admin`` (True when
the user holds one of ``all_roles``) and the validated ``filters`` (strings). It yields rows lazily
(a generator over a server-side query) so exports stay in constant memory, and may raise
``ValidationFailed`` for a bad filter value. Exports, schedules and custom reports read this registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from app.core.errors import ValidationFailed
from app.core.timeutil import local_to_utc

DATE_RANGE = {"date_from": "YYYY-MM-DD, on or after (city time)", "date_to": "YYYY-MM-DD, on or before (city time)"}


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    width: int = 16  # characters (XLSX column width, PDF proportion)
    kind: str = "text"  # text | int | number | money | percent | datetime | date (XLSX number formats)


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    columns: list[Column]
    rows: Callable[..., Iterable[dict]]
    roles: tuple[str, ...] = ("admin",)
    all_roles: tuple[str, ...] = ("admin",)
    filters: dict = field(default_factory=dict)  # filter name -> description (documented, validated)


_datasets: dict[str, Dataset] = {}


def register_dataset(dataset: Dataset) -> None:
    """Add (or replace) a dataset by name."""
    _datasets[dataset.name] = dataset


def get_dataset(name: str) -> Dataset | None:
    return _datasets.get(name)


def all_datasets() -> dict[str, Dataset]:
    return dict(_datasets)


def filter_date(filters: dict, key: str) -> date | None:
    """A ``YYYY-MM-DD`` filter value as a date (None when absent); 422 naming the filter otherwise."""
    value = filters.get(key)
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationFailed({key: ["Use a date as YYYY-MM-DD."]}) from exc


def filter_int(filters: dict, key: str) -> int | None:
    """A numeric id filter (None when absent); 422 naming the filter otherwise."""
    value = filters.get(key)
    if value in (None, ""):
        return None
    if not str(value).isdigit():
        raise ValidationFailed({key: ["Use a numeric id."]})
    return int(value)


def date_range(stmt, filters: dict, column):
    """Restrict ``stmt`` to rows whose ``column`` falls in the filters' local days ``date_from``…``date_to``."""
    if start := filter_date(filters, "date_from"):
        stmt = stmt.where(column >= local_to_utc(start, time(0)))
    if end := filter_date(filters, "date_to"):
        stmt = stmt.where(column < local_to_utc(end + timedelta(days=1), time(0)))
    return stmt
