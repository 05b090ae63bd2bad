"""Demo data for the temples domain (PW-20): the four temples, zones, slots, crowd counts, shuttles, resources."""

from __future__ import annotations

import math
from datetime import time, timedelta

from app.core.timeutil import local_to_utc, local_today, utcnow
from app.temples import service

TEMPLES = [
    {"slug": "somnath", "name": "Shree Somnath Jyotirlinga Temple", "location": "Veraval, Gir Somnath, Gujarat",
     "lat": 20.8880, "lng": 70.4013, "code_prefix": "SOM",
     "zones": [("mainDarshan", "Main darshan hall", 1500), ("garbhaGriha", "Garbha griha", 200),
               ("pradakshina", "Pradakshina path", 800), ("museum", "Prabhas Patan museum", 300)],
     "route": ("Veraval bus stand – Somnath", [("Veraval bus stand", 20.9077, 70.3672),
                                                ("Bhalka Tirth", 20.8995, 70.3888),
                                                ("Triveni Sangam ghat", 20.8930, 70.4050),
                                                ("Somnath temple gate", 20.8869, 70.4016)])},
    {"slug": "dwarka", "name": "Dwarkadhish Temple", "location": "Dwarka, Devbhumi Dwarka, Gujarat",
     "lat": 22.2376, "lng": 68.9674, "code_prefix": "DWK",
     "zones": [("mainDarshan", "Nij mandir darshan", 1200), ("swargDwar", "Swarg dwar", 400),
               ("mokshDwar", "Moksh dwar", 400), ("gomtiGhat", "Gomti ghat steps", 900)],
     "route": ("Dwarka station – Dwarkadhish", [("Dwarka railway station", 22.2395, 68.9838),
                                                 ("Rukmini temple road", 22.2412, 68.9750),
                                                 ("Dwarkadhish temple", 22.2380, 68.9680)])},
    {"slug": "ambaji", "name": "Ambaji Temple", "location": "Ambaji, Banaskantha, Gujarat",
     "lat": 24.3326, "lng": 72.8503, "code_prefix": "AMB",
     "zones": [("mainDarshan", "Vishwa Yantra darshan", 1000), ("chachar", "Chachar chowk", 1500),
               ("gabbarRopeway", "Gabbar hill ropeway", 350)],
     "route": ("Ambaji bus stand – temple", [("Ambaji bus stand", 24.3340, 72.8440),
                                             ("Ambaji temple", 24.3326, 72.8503)])},
    {"slug": "pavagadh", "name": "Kalika Mata Temple, Pavagadh", "location": "Pavagadh, Panchmahal, Gujarat",
     "lat": 22.4617, "lng": 73.5112, "code_prefix": "PAV",
     "zones": [("mainDarshan", "Kalika Mata darshan", 600), ("ropeway", "Udan khatola ropeway", 400),
               ("machi", "Machi haveli base", 1200), ("dudhiaTalav", "Dudhia talav steps", 500)],
     "route": ("Champaner – Machi", [("Champaner gate", 22.4856, 73.5361), ("Machi haveli", 22.4680, 73.5150)])},
]
RESOURCES = [("ambulance", "108 ambulance", 2), ("security_post", "Main gate security post", 1),
             ("facility", "Drinking water points", 12), ("facility", "First-aid room", 1)]


def _demo_share(hour: int, day_index: int, zone_index: int) -> float:
    """A plausible share of a zone's capacity: a morning aarti peak, an evening peak, never critical."""
    peaks = math.exp(-((hour - 8) ** 2) / 6) + 0.8 * math.exp(-((hour - 19) ** 2) / 4)
    wobble = 0.05 * math.sin(day_index * 1.7 + zone_index)
    return min(0.75, 0.12 + 0.55 * peaks + wobble)


def _demo_crowd(temple) -> None:
    """A week of hourly counts (06:00–21:00 city time) so history, heat maps and predictions have data."""
    if any(zone.last_at is not None for zone in temple.zones):
        return
    today, now = local_today(temple.timezone), utcnow()
    readings = []
    for day_index in range(7, -1, -1):
        day = today - timedelta(days=day_index)
        for hour in range(6, 22):
            at = local_to_utc(day, time(hour), temple.timezone)
            if at > now:
                break
            readings += [{"zone": z.slug, "at": at, "count": round(z.capacity * _demo_share(hour, day_index, i))}
                         for i, z in enumerate(temple.zones)]
    if readings:
        service.record_counts(temple_slug=temple.slug, readings=readings)


def seed_demo() -> None:
    """Create the four temples with zones, a week of slots, a week of crowd counts, a shuttle route and resources.

    Idempotent: what exists is kept.
    """
    existing = {t.slug for t in service.list_temples()}
    for spec in TEMPLES:
        if spec["slug"] in existing:
            temple = service.get_temple(slug=spec["slug"])
        else:
            temple = service.create_temple(
                slug=spec["slug"], name=spec["name"], location=spec["location"], lat=spec["lat"], lng=spec["lng"],
                code_prefix=spec["code_prefix"],
                zones=[{"slug": s, "name": n, "capacity": c} for s, n, c in spec["zones"]])
            name, stops = spec["route"]
            route = service.create_route(temple_slug=temple.slug, name=name,
                                          stops=[{"name": n, "lat": la, "lng": lo} for n, la, lo in stops])
            service.create_shuttle(route_id=route.id, name=f"{spec['code_prefix']} shuttle 1", capacity=40)
            for kind, label, qty in RESOURCES:
                due = local_today() + timedelta(days=5 if kind == "ambulance" else 30)
                service.add_resource(temple_slug=temple.slug, kind=kind, name=label, quantity=qty, next_maintenance=due)
        today = local_today(temple.timezone)
        service.generate_slots(temple_slug=temple.slug, date_from=today, date_to=today + timedelta(days=6),
                                start_time=time(6, 0), end_time=time(20, 0), slot_minutes=60, capacity=200)
        _demo_crowd(temple)
