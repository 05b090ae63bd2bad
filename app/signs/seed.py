"""Demo data for the signs domain: signs around Somnath and the town, and a welcome message.

Idempotent: signs are matched by name. Their device keys are not kept; the console's simulator
issues a fresh key for the sign it plays (POST /city/signs/{id}/key).
"""

from __future__ import annotations

from app.core.places import resolve_temple
from app.signs import service

DEMO_SIGNS = [
    # name, temple, zone, group, lat, lng
    ("Somnath main gate", "somnath", "mainDarshan", "entrances", 20.8869, 70.4016),
    ("Darshan hall queue", "somnath", "mainDarshan", "queues", 20.8878, 70.4012),
    ("Garbha griha exit", "somnath", "garbhaGriha", "queues", 20.8882, 70.4010),
    ("Pradakshina north", "somnath", "pradakshina", "paths", 20.8890, 70.4008),
    ("Museum entrance", "somnath", "museum", "entrances", 20.8873, 70.4030),
    ("Triveni ghat steps", None, "triveniGhat", "ghats", 20.8930, 70.4050),
    ("East parking", None, "parking", "parking", 20.8860, 70.4060),
    ("Veraval bus stand", None, "busStand", "transport", 20.9077, 70.3672),
]


def seed_demo() -> None:
    """Put back missing default templates, add the demo signs that are missing and, once, a welcome message."""
    service.ensure_default_templates()
    existing = {s["name"] for s in service.list_signs()}
    has_temple = resolve_temple("somnath") is not None
    for name, temple, zone, group, lat, lng in DEMO_SIGNS:
        if name in existing or (temple and not has_temple):
            continue
        service.register_sign(name=name, zone=zone, group=group, lat=lat, lng=lng, temple=temple)
    if not service.list_messages() and service.list_signs():
        service.send_message(targets={"all": True}, template="wayfinding_first_aid",
                             params={"direction": "next to the main gate", "distance_m": 100})
