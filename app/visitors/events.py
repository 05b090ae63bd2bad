"""The visitors domain's events: one helper per kind, audited in the same transaction, delivered after commit.

Payloads are the REST resources (built by the service, passed in); audit ``changes`` never carry
phone or identity numbers, and biometric events never carry an embedding.
"""

from __future__ import annotations

from app.core.events import Event, publish
from app.visitors.schemas import VisitSchema

CHANNEL = "visitors"  # reception screens: visit_update


def _visit_event(verb: str, view: dict, changes: dict) -> None:
    publish(Event(name=f"visitors.visit_{verb}", payload=VisitSchema().dump(view), channel=CHANNEL,
                  socket_event="visit_update", scope={}, entity="visit", entity_id=view["code"], action=verb,
                  changes=changes))


def visit_created(view: dict) -> None:
    _visit_event("created", view, {"status": [None, view["status"]], "host_id": [None, view["host"]["id"]],
                                   "expected_at": [None, view["expected_at"]]})


def visit_changed(verb: str, view: dict, before: str) -> None:
    """``visitors.visit_checked_in`` / ``_checked_out`` / ``_revoked``: the status moved from ``before``."""
    _visit_event(verb, view, {"status": [before, view["status"]]})


def person_recorded(person) -> None:
    publish(Event(name="visitors.person_recorded", payload={"id": person.id, "name": person.name},
                  entity="visitor_person", entity_id=person.id, action="record", audit=False))


def block_added(block) -> None:
    publish(Event(name="visitors.person_blocked", payload={"id": block.id, "name": block.name},
                  entity="visitor_block", entity_id=block.id, action="block",
                  changes={"reason": [None, block.reason]}))


def block_lifted(block) -> None:
    publish(Event(name="visitors.block_lifted", payload={"id": block.id, "name": block.name},
                  entity="visitor_block", entity_id=block.id, action="lift",
                  changes={"lifted_at": [None, block.lifted_at]}))


def card_assigned(card) -> None:
    publish(Event(name="visitors.card_assigned", payload={"number": card.number, "person_id": card.person_id},
                  entity="visitor_card", entity_id=card.number, action="assign",
                  changes={"person_id": [None, card.person_id]}))


def card_released(number: str, person_id: int) -> None:
    publish(Event(name="visitors.card_released", payload={"number": number, "person_id": person_id},
                  entity="visitor_card", entity_id=number, action="release",
                  changes={"person_id": [person_id, None]}))


def face_enrolled(person_id: int, quality: float) -> None:
    publish(Event(name="visitors.face_enrolled", payload={"person_id": person_id, "quality": quality},
                  entity="visitor_face", entity_id=person_id, action="enrol",
                  changes={"consent": [None, True], "quality": [None, quality]}))


def face_erased(person_id: int) -> None:
    publish(Event(name="visitors.face_erased", payload={"person_id": person_id},
                  entity="visitor_face", entity_id=person_id, action="erase", changes={"consent": [True, False]}))
