"""PNG charts (matplotlib, Agg backend) for crowd and analytics."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return buffer.getvalue()


def heatmap_figure(data: dict) -> bytes:
    """Zones × hours heat map of density (%)."""
    matrix = [[v if v is not None else float("nan") for v in row["density_pct"]] for row in data["zones"]]
    fig = Figure(figsize=(10, 1.2 + 0.5 * max(1, len(matrix))))
    ax = fig.subplots()
    image = ax.imshow(matrix or [[float("nan")] * 24], aspect="auto", cmap="YlOrRd", vmin=0, vmax=100)
    ax.set_yticks(range(len(matrix)), [row["zone"] for row in data["zones"]])
    ax.set_xticks(range(24), [str(h) for h in range(24)])
    ax.set_xlabel("hour (local time)")
    ax.set_title(f"Crowd density — {data['temple']} — {data['date']}")
    fig.colorbar(image, ax=ax, label="% of capacity")
    return _png(fig)


def bar_chart(title: str, labels: list[str], values: list[float], ylabel: str) -> bytes:
    """A simple bar chart."""
    fig = Figure(figsize=(max(6, 0.35 * len(labels) + 2), 4))
    ax = fig.subplots()
    ax.bar(range(len(values)), values, color="#b5542b")
    ax.set_xticks(range(len(labels)), labels, rotation=45 if len(labels) > 8 else 0, ha="right")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    return _png(fig)
