"""The alerts domain."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Wire this domain's event subscribers, socket snapshots and export datasets."""
