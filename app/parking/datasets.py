"""The ``reservations`` export dataset (VP-7): a user exports their history, an admin everyone's."""

from __future__ import annotations

from app.core.datasets import DATE_RANGE, Column, Dataset
from app.core.security import ROLES
from app.parking import service

COLUMNS = [Column("id", "ID", 8, "int"), Column("lot", "Lot", 26), Column("spot_number", "Spot", 6, "int"),
           Column("vehicle_number", "Vehicle", 14), Column("user", "Driver", 22), Column("status", "Status", 10),
           Column("parked_at", "Parked at", 18, "datetime"), Column("left_at", "Left at", 18, "datetime"),
           Column("hours", "Hours", 6, "int"), Column("cost", "Cost (INR)", 10, "money")]

DATASETS = [Dataset(name="reservations", title="Parking reservations", columns=COLUMNS, rows=service.reservation_rows,
                    roles=ROLES, all_roles=("admin",), filters={"lot_id": "a lot id (admins)", **DATE_RANGE})]
