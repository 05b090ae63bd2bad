"""The alerts domain."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Register the alerts figures (KPIs and trends); the cache namespace is declared by its service."""
    from app.alerts.kpis import register_kpis

    register_kpis()
