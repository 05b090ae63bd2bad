"""The signs export datasets: overrides with their acknowledgements, and sampled heartbeats."""

from __future__ import annotations

from app.core.datasets import DATE_RANGE, Column, Dataset
from app.signs import service

STAFF = ("operator", "admin")
OVERRIDES = [Column("id", "ID", 8, "int"), Column("title", "Title", 20), Column("text", "Text", 40),
             Column("severity", "Severity", 9), Column("status", "Status", 10), Column("source", "Source", 10),
             Column("created_at", "Created", 18, "datetime"), Column("activated_at", "Activated", 18, "datetime"),
             Column("ended_at", "Ended", 18, "datetime"), Column("signs", "Signs", 7, "int"),
             Column("acknowledged", "Acknowledged", 12, "int"),
             Column("flagged", "Not acknowledged in time", 12, "int")]
HEARTBEATS = [Column("sign_id", "Sign ID", 8, "int"), Column("sign", "Sign", 24), Column("zone", "Zone", 14),
              Column("at", "At", 18, "datetime"), Column("battery", "Battery %", 9, "int"),
              Column("signal_strength", "Signal %", 9, "int"), Column("crowd_density", "Crowd density %", 10, "number"),
              Column("crowd_count", "Crowd count", 10, "int")]

DATASETS = [
    Dataset(name="sign_overrides", title="Sign overrides and acknowledgements", columns=OVERRIDES,
            rows=service.override_rows, roles=STAFF, all_roles=STAFF, filters=dict(DATE_RANGE)),
    Dataset(name="sign_heartbeats", title="Sign heartbeats (sampled)", columns=HEARTBEATS,
            rows=service.heartbeat_rows, roles=STAFF, all_roles=STAFF,
            filters={"sign_id": "a sign id", **DATE_RANGE}),
]
