"""Celery tasks: one module per domain, plus schedule.py (beat) and exports.py."""
