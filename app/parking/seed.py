"""Demo parking lots near the four temples (idempotent: lots are matched by name)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from app.parking import service
from app.parking.models import ParkingLot

DEMO_LOTS = (
    ("Somnath Temple Parking", "Somnath Temple Road, Prabhas Patan, Veraval", "362268", "30.00", 120),
    ("Triveni Sangam Ghat Parking", "Triveni Ghat Road, Prabhas Patan, Veraval", "362268", "20.00", 60),
    ("Dwarkadhish Temple Parking", "Jawahar Road, near Gomti Ghat, Dwarka", "361335", "40.00", 150),
    ("Bhadkeshwar Mahadev Parking", "Bhadkeshwar Road, Dwarka", "361335", "20.00", 40),
    ("Ambaji Temple Parking", "Ambaji Temple Road, Ambaji, Banaskantha", "385110", "30.00", 200),
    ("Pavagadh Machi Parking", "Machi, Pavagadh, Panchmahal", "389360", "50.00", 80),
)


def seed_demo() -> None:
    """Add the demo lots that do not exist yet."""
    existing = set(db.session.scalars(select(ParkingLot.name).where(ParkingLot.deleted_at.is_(None))))
    for name, address, pin_code, price, spots in DEMO_LOTS:
        if name not in existing:
            service.create_lot(name=name, address=address, pin_code=pin_code, price_per_hour=Decimal(price),
                               total_spots=spots)
