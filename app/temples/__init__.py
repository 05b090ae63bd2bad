"""The temples domain: darshan bookings, live crowds, shuttles, resources and analytics (PW-*)."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Install the temple resolver, the `crowd` snapshot, the export datasets and the KPIs."""
    from app.core.places import set_temple_resolver
    from app.realtime.snapshots import register_snapshot
    from app.temples import crowd, service
    from app.temples.datasets import register_datasets
    from app.temples.kpis import register_kpis

    set_temple_resolver(service.resolve_temple)
    register_snapshot("crowd", crowd.snapshot)
    register_datasets()
    register_kpis()
