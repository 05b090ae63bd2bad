"""Custom reports (SC-2, CR-4): a dataset's rows for a period, optionally grouped with metrics, and the charts that fit.

A spec is ``{dataset, filters, group_by?, metrics?, period?: {from, to}}``. ``period`` becomes the
dataset's ``date_from``/``date_to`` filters (so a dataset without them cannot take a period);
``group_by`` is one of the dataset's columns (a date-time column groups by local day); a metric is
``count``, ``sum:<column>`` or ``avg:<column>`` of a numeric column. Grouped by a date the chart is a
line, grouped by anything else a bar per group (at most ``CHART_GROUPS``). The report is built by the
export pipeline (``exports.run_export``) and by schedules, never by a second one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from app.core import charts
from app.core.datasets import Column, Dataset
from app.core.errors import ValidationFailed
from app.core.renderers import TableChart
from app.core.timeutil import to_local

NUMERIC = ("int", "number", "money", "percent")
FUNCTIONS = {"sum": "Sum of", "avg": "Average of"}
CHART_GROUPS = 30
NONE_LABEL = "(none)"


@dataclass(frozen=True)
class Table:
    title: str
    columns: list[Column]
    rows: object  # an iterable of dicts
    charts: tuple[TableChart, ...] = ()


def _columns(dataset: Dataset) -> dict[str, Column]:
    return {c.key: c for c in dataset.columns}


def _check_period(dataset: Dataset, period: dict | None) -> dict:
    if not period:
        return {}
    if not {"date_from", "date_to"} <= set(dataset.filters):
        raise ValidationFailed({"period": [f"The dataset {dataset.name} has no dates to restrict to a period."]})
    first, last = period["from"], period["to"]
    if first > last:
        raise ValidationFailed({"period": ["'from' must be on or before 'to'."]})
    return {"from": first.isoformat(), "to": last.isoformat()}


def _check_metric(name: str, columns: dict[str, Column]) -> str:
    if name == "count":
        return name
    function, _, key = name.partition(":")
    if function not in FUNCTIONS or columns.get(key) is None or columns[key].kind not in NUMERIC:
        numeric = ", ".join(k for k, c in columns.items() if c.kind in NUMERIC) or "none"
        raise ValidationFailed({"metrics": [f"Unknown metric {name!r}: use count, sum:<column> or avg:<column> "
                                            f"with a numeric column ({numeric})."]})
    return name


def check_spec(dataset: Dataset, *, group_by: str | None, metrics: list[str] | None, period: dict | None) -> dict:
    """Validate the grouping, metrics and period against the dataset (422 naming the field); return the stored spec."""
    columns = _columns(dataset)
    if group_by is not None and group_by not in columns:
        raise ValidationFailed({"group_by": [f"Unknown column; use one of: {', '.join(columns)}."]})
    if metrics and group_by is None:
        raise ValidationFailed({"metrics": ["Metrics are computed per group: give group_by too."]})
    chosen = [_check_metric(m, columns) for m in dict.fromkeys(metrics or ())] or (["count"] if group_by else [])
    return {"group_by": group_by, "metrics": chosen, "period": _check_period(dataset, period) or None}


def spec_filters(spec: dict, filters: dict) -> dict:
    """The dataset filters with the spec's period as ``date_from``/``date_to``."""
    period = spec.get("period") or {}
    return {**filters, **({"date_from": period["from"], "date_to": period["to"]} if period else {})}


def _group_value(value, column: Column):
    if value is None:
        return NONE_LABEL
    if isinstance(value, datetime):
        return to_local(value).date()
    if isinstance(value, date):
        return value
    return str(value)


def _metric_column(name: str, columns: dict[str, Column]) -> Column:
    if name == "count":
        return Column("count", "Count", 8, "int")
    function, _, key = name.partition(":")
    source = columns[key]
    kind = source.kind if function == "sum" else ("money" if source.kind == "money" else "number")
    return Column(f"{function}_{key}", f"{FUNCTIONS[function]} {source.title}", max(12, source.width), kind)


def _aggregate(rows, group: Column, metrics: list[str], columns: dict[str, Column]) -> list[dict]:
    sums: dict = defaultdict(lambda: defaultdict(lambda: Decimal(0)))
    counts: dict = defaultdict(lambda: defaultdict(int))
    for row in rows:
        key = _group_value(row.get(group.key), group)
        counts[key]["*"] += 1
        for column in {m.partition(":")[2] for m in metrics} - {""}:
            if row.get(column) is not None:
                sums[key][column] += Decimal(str(row[column]))
                counts[key][column] += 1
    return [_group_row(key, group, metrics, sums[key], counts[key], columns) for key in counts]


def _group_row(key, group: Column, metrics: list[str], sums: dict, counts: dict, columns: dict[str, Column]) -> dict:
    row = {group.key: key, "count": counts["*"]}
    for name in metrics:
        function, _, column = name.partition(":")
        if not column:
            continue
        total = sums[column]
        value = total if function == "sum" else (total / counts[column] if counts[column] else None)
        row[f"{function}_{column}"] = _number(value, columns[column].kind, function)
    return row


def _number(value: Decimal | None, kind: str, function: str):
    if value is None:
        return None
    if kind == "money":
        return value.quantize(Decimal("0.01"))
    if kind == "int" and function == "sum":
        return int(value)
    return round(float(value), 2)


def _sorted(rows: list[dict], group: Column, first_metric: str) -> list[dict]:
    if rows and all(isinstance(r[group.key], date) for r in rows):
        return sorted(rows, key=lambda r: r[group.key])
    return sorted(rows, key=lambda r: (-float(r.get(first_metric) or 0), str(r[group.key])))


def _chart(rows: list[dict], group: Column, metric: Column, with_png: bool) -> TableChart:
    by_date = bool(rows) and all(isinstance(r[group.key], date) for r in rows)
    title = f"{metric.title} by {group.title.lower()}"
    shown = rows if by_date else rows[:CHART_GROUPS]
    labels = [r[group.key].isoformat() if by_date else str(r[group.key]) for r in shown]
    values = [float(r.get(metric.key) or 0) for r in shown]
    png = None
    if with_png:
        png = (charts.line_chart(title, labels, {metric.title: values}, metric.title) if by_date
               else charts.bar_chart(title, labels, values, metric.title))
    return TableChart("line" if by_date else "bar", title, group.key, metric.key, png)


def build_table(dataset: Dataset, rows, *, title: str, spec: dict, fmt: str) -> Table:
    """The report's table (the rows, or one row per group with its metrics) and its charts."""
    if not spec.get("group_by"):
        return Table(title, dataset.columns, rows)
    columns = _columns(dataset)
    source = columns[spec["group_by"]]
    group = Column(source.key, source.title, source.width,
                   "date" if source.kind in ("datetime", "date") else "text")
    metric_columns = [_metric_column(m, columns) for m in spec["metrics"]]
    grouped = _sorted(_aggregate(rows, group, spec["metrics"], columns), group, metric_columns[0].key)
    chart = _chart(grouped, group, metric_columns[0], with_png=fmt == "pdf")
    return Table(title, [group, *metric_columns], grouped, (chart,) if grouped else ())
