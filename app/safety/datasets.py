"""Export datasets of the safety domain: incidents, inspections, trainings, hazards (PW-17, PW-18, CR-3, CR-4)."""

from __future__ import annotations

from app.core.datasets import DATE_RANGE, Column, Dataset
from app.safety import service

RESPONDERS = ("operator", "safety_officer", "admin")
OFFICERS = ("safety_officer", "admin")

DATASETS = [
    Dataset(name="incidents", title="Incidents", rows=service.incident_rows, roles=("user", *RESPONDERS),
            all_roles=RESPONDERS, filters={"temple": "temple slug", "type": "incident type", "status": "status",
                                           **DATE_RANGE},
            columns=[Column("code", "Code", 11), Column("type", "Type", 11), Column("severity", "Severity", 9),
                     Column("status", "Status", 11), Column("title", "Title", 30), Column("temple", "Temple", 10),
                     Column("zone", "Zone", 12), Column("reported_at", "Reported", 16, "datetime"),
                     Column("reported_by", "Reported by", 16),
                     Column("minutes_to_acknowledge", "Min. to ack.", 8, "number"),
                     Column("minutes_to_dispatch", "Min. to dispatch", 8, "number"),
                     Column("minutes_to_arrive", "Min. to arrive", 8, "number"),
                     Column("minutes_to_resolve", "Min. to resolve", 8, "number"),
                     Column("related_to", "Related to", 11)]),
    Dataset(name="inspections", title="Safety inspections", rows=service.inspection_rows, roles=OFFICERS,
            all_roles=OFFICERS, filters={"date_from": "YYYY-MM-DD, due on or after",
                                         "date_to": "YYYY-MM-DD, due on or before"},
            columns=[Column("id", "ID", 5, "int"), Column("title", "Inspection", 28), Column("site", "Site", 22),
                     Column("temple", "Temple", 10), Column("due_on", "Due", 11, "date"),
                     Column("status", "Status", 10), Column("completed_at", "Completed", 16, "datetime"),
                     Column("failed_items", "Failed items", 7, "int"),
                     Column("open_actions", "Open actions", 7, "int")]),
    Dataset(name="trainings", title="Training records", rows=service.training_rows, roles=OFFICERS,
            all_roles=OFFICERS,
            columns=[Column("person", "Person", 18), Column("course", "Course", 24), Column("provider", "Provider", 16),
                     Column("completed_on", "Completed", 11, "date"), Column("valid_until", "Valid until", 11, "date"),
                     Column("state", "State", 9)]),
    Dataset(name="hazards", title="Hazard register", rows=service.hazard_rows, roles=OFFICERS, all_roles=OFFICERS,
            filters={"status": "open or closed"},
            columns=[Column("id", "ID", 5, "int"), Column("title", "Hazard", 30), Column("location", "Location", 20),
                     Column("temple", "Temple", 10), Column("likelihood", "L", 3, "int"),
                     Column("severity", "S", 3, "int"), Column("risk_score", "Risk", 5, "int"),
                     Column("band", "Band", 8), Column("controls", "Controls", 28),
                     Column("review_on", "Review", 11, "date"), Column("status", "Status", 7)]),
]
