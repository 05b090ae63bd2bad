"""The export dataset registry: each domain registers a query and its columns.

    register_dataset(Dataset(
        name="reservations",
        title="Parking reservations",
        columns=[Column("id", "ID"), Column("lot", "Lot"), Column("cost", "Cost (INR)")],
        rows=reservation_rows,          # rows(*, owner_id, is_admin, filters) -> iterable of dicts
        roles=("user", "admin"),        # who may export it
        all_roles=("admin",),           # who sees every row (others: only their own)
        filters={"lot_id": "a lot id", "date_from": "YYYY-MM-DD", "date_to": "YYYY-MM-DD"},
    ))

``rows`` is called in the export task with ``owner_id`` (the requesting user), ``is_admin``
(True when the user holds one of ``all_roles``) and the validated ``filters`` (strings).
It should yield rows lazily (a generator over a server-side query) so exports stay in constant
memory. It may raise ``app.core.errors.ValidationFailed`` for a bad filter value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    width: int = 16  # characters (XLSX column width, PDF proportion)


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
    _datasets[dataset.name] = dataset


def get_dataset(name: str) -> Dataset | None:
    return _datasets.get(name)


def all_datasets() -> dict[str, Dataset]:
    return dict(_datasets)
