"""Export datasets of the temples domain: bookings and crowd readings (PW-17, CR-4)."""

from __future__ import annotations

from app.core.datasets import DATE_RANGE, Column, Dataset
from app.temples import service

FILTERS = {"temple": "temple slug", **DATE_RANGE}

DATASETS = [
    Dataset(name="bookings", title="Darshan bookings", rows=service.booking_rows, filters=FILTERS,
            roles=("user", "operator", "admin"), all_roles=("operator", "admin"),
            columns=[Column("code", "Code", 12), Column("temple", "Temple", 22), Column("slot", "Slot", 16, "datetime"),
                     Column("party_size", "Party", 6, "int"), Column("status", "Status", 11),
                     Column("booked_at", "Booked", 16, "datetime"),
                     Column("checked_in_at", "Checked in", 16, "datetime")]),
    Dataset(name="crowd", title="Crowd readings", rows=service.crowd_rows, filters=FILTERS,
            roles=("operator", "admin"), all_roles=("operator", "admin"),
            columns=[Column("at", "Time", 16, "datetime"), Column("temple", "Temple", 22), Column("zone", "Zone", 14),
                     Column("count", "Count", 8, "int"), Column("capacity", "Capacity", 8, "int"),
                     Column("density_pct", "Density %", 9, "percent")]),
]
