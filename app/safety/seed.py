"""Demo data for the safety domain: units around the four temples, past and open incidents with their
timelines, emergency procedures, inspections, trainings and hazards.

Idempotent and quick: every record is matched by a name, a title or a ``demo:`` reference, and only
what is missing is added (a few dozen rows). Needs the temples seeded first (``requires``).
"""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

from app.core.places import resolve_temple
from app.core.timeutil import local_today, utcnow
from app.extensions import db
from app.safety import service
from app.safety.errors import NoUnitAvailable
from app.safety.service.history import record_past_incident

# Positions as in app/temples/seed.py; units stand a few hundred metres from each temple.
TEMPLES = {"somnath": ("Somnath", 20.8880, 70.4013), "dwarka": ("Dwarka", 22.2376, 68.9674),
           "ambaji": ("Ambaji", 24.3326, 72.8503), "pavagadh": ("Pavagadh", 22.4617, 73.5112)}
UNITS = (("ambulance", "108 ambulance 1", 0.004, 0.003), ("ambulance", "108 ambulance 2", -0.006, 0.002),
         ("fire", "fire tender", 0.009, -0.005), ("police", "police PCR van", -0.003, -0.004),
         ("medical_team", "medical team", 0.001, 0.001))
PROCEDURES = (
    ("medical", "Collapse or cardiac arrest",
     ["Call the nearest medical team on the radio", "Start CPR; send for the AED",
      "Clear a 5 m circle and a path for the stretcher", "Hand over to the ambulance crew"],
     [{"name": "Ambulance", "role": "108 emergency", "phone": "108"}]),
    ("fire", "Fire in the temple complex",
     ["Raise the alarm and call the fire tender", "Stop entries at every gate",
      "Evacuate by the nearest marked exit", "Account for staff at the muster point"],
     [{"name": "Fire brigade", "role": "fire control", "phone": "101"}]),
    ("lost_person", "Lost child or elder", ["Take a description and a photo", "Announce at the help desks",
                                            "Watch the exits", "Hand over to the police after 30 minutes"],
     [{"name": "Police control room", "role": "police", "phone": "112"}]),
    ("crowd", "Crowd crush risk", ["Hold entries at the outer gates", "Open the relief routes",
                                   "Announce calmly in Gujarati, Hindi and English", "Deploy stewards to pinch points"],
     [{"name": "Temple control room", "role": "operations", "phone": "+912876231200"}]),
)
TRAININGS = (("Ramesh Gohil", "First aid and CPR", 700, 730), ("Sita Rao", "Fire warden", 350, 365),
             ("Ravi Kumar", "Crowd management", 340, 365), ("Meena Parmar", "First aid and CPR", 100, 730))
HAZARDS = (("Wet marble floor after abhishek", "Somnath pradakshina path", "somnath", 4, 3, "Mats, mopping rota", 60),
           ("Crowd crush at the main gate on festival days", "Ambaji Chachar chowk", "ambaji", 3, 5,
            "Barriers, timed entry, stewards", 20),
           ("Steep steps to the Kalika Mata temple", "Pavagadh upper steps", "pavagadh", 3, 4, "Handrails", -5),
           ("Loose cables in the ticket office", "Dwarka ticket office", "dwarka", 2, 2, None, 90))


def _temple(slug: str) -> str | None:
    return slug if resolve_temple(slug) is not None else None


def _seed_units() -> dict[str, int]:
    existing = {u.name: u.id for u in service.list_units()}
    for slug, (label, lat, lng) in TEMPLES.items():
        for kind, name, d_lat, d_lng in UNITS:
            full = f"{label} {name}"
            if full not in existing:
                existing[full] = service.create_unit(kind=kind, name=full, lat=round(lat + d_lat, 5),
                                                     lng=round(lng + d_lng, 5), temple=_temple(slug)).id
    return existing


def _seed_past_incidents(units: dict[str, int]) -> None:
    now = utcnow()
    for n, (slug, kind, title, days, (ack, arrive, resolve)) in enumerate((
            ("somnath", "medical", "Heat exhaustion at the main hall", 12, (2, 9, 45)),
            ("dwarka", "lost_person", "Child separated at Gomti ghat", 9, (1, 6, 38)),
            ("ambaji", "crowd", "Surge at Chachar chowk during aarti", 5, (1, 4, 25)),
            ("pavagadh", "injury", "Pilgrim slipped on the upper steps", 2, (3, 15, 70)))):
        label, lat, lng = TEMPLES[slug]
        at = now - timedelta(days=days, hours=n)
        unit = "108 ambulance 1" if kind in ("medical", "injury") else "police PCR van"
        record_past_incident(
            ref=f"demo:past:{n}", source="sos" if kind != "injury" else "staff", type=kind,
            severity="high" if kind != "crowd" else "critical", title=title, reported_at=at, lat=lat, lng=lng,
            temple=_temple(slug), reporter_name="Demo pilgrim",
            steps={"acknowledged": at + timedelta(minutes=ack), "started": at + timedelta(minutes=ack + 1),
                   "resolved": at + timedelta(minutes=resolve)},
            dispatches=[{"unit_id": units[f"{label} {unit}"], "dispatched_at": at + timedelta(minutes=ack + 1),
                         "arrived_at": at + timedelta(minutes=arrive), "released_at": at + timedelta(minutes=resolve)}])


def _seed_open_incidents(units: dict[str, int]) -> None:
    now = utcnow()
    label, lat, lng = TEMPLES["somnath"]
    fresh = record_past_incident(ref="demo:open:0", source="sos", type="medical", severity="critical",
                                 title="Medical emergency at somnath / mainDarshan",
                                 reported_at=now - timedelta(minutes=4),
                                 lat=lat + 0.0004, lng=lng, temple=_temple("somnath"),
                                 zone="mainDarshan" if _temple("somnath") else None, reporter_name="Demo pilgrim",
                                 steps={"acknowledged": now - timedelta(minutes=3)})
    if fresh is not None:
        with contextlib.suppress(NoUnitAvailable):  # the demo ambulance may be out on a real call
            service.dispatch_unit(code=fresh.code, unit_id=units[f"{label} 108 ambulance 2"])
    record_past_incident(ref="demo:open:1", source="staff", type="near_miss", severity="low",
                         title="Loose railing on the sea-view walkway", reported_at=now - timedelta(hours=3),
                         location_text="Somnath sea-view walkway", temple=_temple("somnath"),
                         reporter_name="Demo safety officer")


def _seed_procedures() -> None:
    existing = {(p.incident_type, p.title) for p in service.list_procedures()}
    for kind, title, steps, contacts in PROCEDURES:
        if (kind, title) not in existing:
            service.create_procedure(incident_type=kind, title=title, steps=steps, contacts=contacts)


def _seed_inspections(today: date) -> None:
    titles = {i.title for i in db.session.scalars(service.list_inspections())}
    if "Monthly fire safety walk — Somnath" not in titles:
        done = service.create_inspection(title="Monthly fire safety walk — Somnath", site="Somnath main hall",
                                         temple=_temple("somnath"), due_on=today - timedelta(days=3),
                                         items=["Extinguishers charged and tagged", "Exits unobstructed",
                                                "Alarm tested"])
        service.record_results(inspection_id=done.id, results=[
            {"item_id": done.items[0].id, "result": "pass"},
            {"item_id": done.items[1].id, "result": "fail", "note": "Cartons stacked at the east exit",
             "action": {"description": "Clear the east exit and mark the floor"}},
            {"item_id": done.items[2].id, "result": "pass"}])
    if "Ropeway cabin safety check — Pavagadh" not in titles:
        service.create_inspection(title="Ropeway cabin safety check — Pavagadh", site="Udan khatola lower station",
                                  temple=_temple("pavagadh"), due_on=today - timedelta(days=1),
                                  items=["Cabin doors latch", "Emergency brake test", "Evacuation kit present"])


def _seed_registers(today: date) -> None:
    trained = {(t.person, t.course) for t in db.session.scalars(service.list_trainings())}
    for person, course, days_ago, valid_days in TRAININGS:
        if (person, course) not in trained:
            done = today - timedelta(days=days_ago)
            service.record_training(person=person, course=course, completed_on=done,
                                    valid_until=done + timedelta(days=valid_days), provider="Gujarat SDMA")
    known = {h.title for h in db.session.scalars(service.list_hazards())}
    for title, location, slug, likelihood, severity, controls, review_in in HAZARDS:
        if title not in known:
            service.create_hazard(title=title, location=location, temple=_temple(slug), likelihood=likelihood,
                                  severity=severity, controls=controls, review_on=today + timedelta(days=review_in))


def seed_demo() -> None:
    """Add the safety demo data that is missing."""
    today = local_today()
    units = _seed_units()
    _seed_past_incidents(units)
    _seed_open_incidents(units)
    _seed_procedures()
    _seed_inspections(today)
    _seed_registers(today)
