"""Demo parking lots near the four temples (idempotent: lots are matched by name)."""

from __future__ import annotations

from decimal import Decimal

from app.parking import service

DEMO_LOTS = (
    ("Somnath Temple Parking", "Somnath Temple Road, Prabhas Patan, Veraval", "362268", "30.00", 120, 20.8873, 70.4030),
    ("Triveni Sangam Ghat Parking", "Triveni Ghat Road, Prabhas Patan, Veraval", "362268", "20.00", 60, 20.8935,
     70.4062),
    ("Dwarkadhish Temple Parking", "Jawahar Road, near Gomti Ghat, Dwarka", "361335", "40.00", 150, 22.2390, 68.9695),
    ("Bhadkeshwar Mahadev Parking", "Bhadkeshwar Road, Dwarka", "361335", "20.00", 40, 22.2466, 68.9612),
    ("Ambaji Temple Parking", "Ambaji Temple Road, Ambaji, Banaskantha", "385110", "30.00", 200, 24.3318, 72.8480),
    ("Pavagadh Machi Parking", "Machi, Pavagadh, Panchmahal", "389360", "50.00", 80, 22.4685, 73.5160),
)


def seed_demo() -> None:
    """Add the demo lots that do not exist yet."""
    existing = {lot["name"] for lot in service.list_lots()}
    for name, address, pin_code, price, spots, lat, lng in DEMO_LOTS:
        if name not in existing:
            service.create_lot(name=name, address=address, pin_code=pin_code, price_per_hour=Decimal(price),
                               total_spots=spots, lat=lat, lng=lng)
