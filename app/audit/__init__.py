"""Reading the audit trail (CR-6); the trail itself is written by app.core.audit."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Nothing to wire: audit rows are written by the core subscriber."""
