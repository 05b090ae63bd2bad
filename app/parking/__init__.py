"""The parking domain: lots, spots, reservations, figures, reminders and monthly reports (VP-*)."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Register the ``reservations`` export dataset, the KPIs and the ``parking`` snapshot.

    The cache namespaces (``parking.lots``, ``parking.user_stats``, ``parking.admin_stats``) are
    declared by their ``@cached_read`` functions, imported here so they are known at start-up.
    """
    from app.parking import events, stats  # noqa: F401 - imports declare the cache namespaces
    from app.parking.dataset import RESERVATIONS
    from app.parking.kpis import register_kpis
    from app.realtime.snapshots import register_snapshot
    from app.reports.datasets import register_dataset

    register_dataset(RESERVATIONS)
    register_snapshot(events.CHANNEL, events.snapshot)
    register_kpis()
