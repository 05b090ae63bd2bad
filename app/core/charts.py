"""PNG charts for every domain (matplotlib's Agg canvas: no display, one thread-safe Figure per chart)."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

BRAND = "#7A2E0E"
ACCENT = "#B5542B"


def _png(fig: Figure, dpi: int = 100) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return buffer.getvalue()


def bar_chart(title: str, labels: Sequence[str], values: Sequence[float], ylabel: str, *,
              small: bool = False) -> bytes:
    """A bar chart; ``small`` for a strip embedded in a document."""
    size = (6.4, 2.4) if small else (max(6, 0.35 * len(labels) + 2), 4)
    fig = Figure(figsize=size)
    ax = fig.subplots()
    ax.bar(range(len(values)), values, color=BRAND if small else ACCENT)
    step = max(1, len(labels) // 12) if small else 1
    ax.set_xticks(range(0, len(labels), step), [labels[i] for i in range(0, len(labels), step)],
                  rotation=45 if len(labels) > 8 and not small else 0, ha="right" if len(labels) > 8 else "center")
    ax.set_ylabel(ylabel, fontsize=8 if small else None)
    ax.set_title(title, fontsize=10 if small else None)
    if small:
        ax.tick_params(labelsize=7)
    return _png(fig, dpi=110 if small else 100)


def line_chart(title: str, labels: Sequence[str], series: dict[str, Sequence[float]], ylabel: str) -> bytes:
    """One line per named series over shared x labels."""
    fig = Figure(figsize=(max(6, 0.25 * len(labels) + 2), 4))
    ax = fig.subplots()
    for name, values in series.items():
        ax.plot(range(len(values)), values, marker="o", markersize=3, label=name)
    step = max(1, len(labels) // 12)
    ax.set_xticks(range(0, len(labels), step), [labels[i] for i in range(0, len(labels), step)], rotation=45,
                  ha="right")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if len(series) > 1:
        ax.legend(fontsize=8)
    return _png(fig)


def heatmap(title: str, rows: Sequence[str], columns: Sequence[str], matrix: Sequence[Sequence[float | None]], *,
            label: str, vmax: float = 100, xlabel: str = "") -> bytes:
    """A rows × columns heat map (None cells are left blank)."""
    values = [[v if v is not None else float("nan") for v in row] for row in matrix] or [[float("nan")] * len(columns)]
    fig = Figure(figsize=(10, 1.2 + 0.5 * max(1, len(values))))
    ax = fig.subplots()
    image = ax.imshow(values, aspect="auto", cmap="YlOrRd", vmin=0, vmax=vmax)
    ax.set_yticks(range(len(rows)), list(rows))
    ax.set_xticks(range(len(columns)), list(columns))
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    fig.colorbar(image, ax=ax, label=label)
    return _png(fig)
