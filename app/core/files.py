"""Export storage: a local folder (EXPORT_DIR) with path-safe file names."""

from __future__ import annotations

import re
from pathlib import Path

from flask import current_app

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str) -> str:
    """Reduce a name to letters, digits, dot, dash and underscore (no directories)."""
    cleaned = _UNSAFE.sub("_", name).strip("._") or "file"
    return cleaned[:120]


def export_dir() -> Path:
    path = Path(current_app.config["EXPORT_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def export_path(name: str) -> Path:
    """Absolute path for a stored file; never escapes the export folder."""
    return export_dir() / safe_name(name)


def remove(name: str | None) -> None:
    if name:
        export_path(name).unlink(missing_ok=True)
