"""Exports (CSV/XLSX/PDF) and scheduled reports."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Enqueue requested exports after commit and register the platform's own dataset (audit)."""
    from app.reports.audit_dataset import register_audit_dataset
    from app.reports.service import init_exports

    init_exports()
    register_audit_dataset()
