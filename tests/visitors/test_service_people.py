"""The block list and RFID cards through the service (CR-1, CR-2)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core.errors import ValidationFailed
from app.extensions import db
from app.visitors import service
from app.visitors.errors import AlreadyBlocked, BlockNotFound, CardNotFound, CardTaken, PersonNotFound
from app.visitors.models import Block, Card
from tests.visitors.conftest import START


def test_block_by_phone_matches_every_person_with_that_phone(reception, invite):
    service.block_person(actor_id=reception.id, reason="Fraudulent invoices", phone="+91 98765 43210", name="Ravi")
    person = service.record_person(name="Other Name", phone="9876543210")
    assert service.block_for(person).reason == "Fraudulent invoices"
    assert service.block_for(service.record_person(name="Someone", phone="+91 91111 22222")) is None


def test_block_a_recorded_person_by_id_and_lift_it(reception, invite):
    view = invite()
    block = service.block_person(actor_id=reception.id, reason="Trespassing", person_id=view["visitor"]["person_id"])
    assert (block.phone, block.id_last4, block.name) == ("+919876543210", "0123", "Ravi Contractor")
    with pytest.raises(AlreadyBlocked):
        service.block_person(actor_id=reception.id, reason="Again", phone="9876543210")
    [lifted] = service.lift_block(actor_id=reception.id, block_id=block.id)
    assert lifted.lifted_at is not None and lifted.lifted_by_id == reception.id
    with pytest.raises(BlockNotFound):
        service.lift_block(actor_id=reception.id, block_id=block.id)
    again = service.block_person(actor_id=reception.id, reason="Came back", phone="9876543210")  # a fresh entry
    assert again.id != block.id
    assert [b.id for b in db.session.scalars(service.active_blocks())] == [again.id]


def test_block_needs_a_target_and_lifting_an_unknown_one_is_404(reception):
    with pytest.raises(ValidationFailed):
        service.block_person(actor_id=reception.id, reason="No one")
    with pytest.raises(PersonNotFound):
        service.block_person(actor_id=reception.id, reason="Ghost", person_id=4242)
    with pytest.raises(BlockNotFound):
        service.lift_block(actor_id=reception.id, phone="+91 90000 12345")
    assert db.session.scalar(db.select(db.func.count()).select_from(Block)) == 0


def test_cards_are_unique_and_looked_up_at_the_gate(reception, invite, frozen_clock):  # CR-1
    view = invite()
    ravi = view["visitor"]["person_id"]
    anil = service.record_person(name="Anil Electrician", phone="+91 99887 76655")
    card = service.assign_card(number="04:A2:24:1B", person_id=ravi, actor_id=reception.id)
    assert card.number == "04A2241B"
    assert service.assign_card(number="04a2241b", person_id=ravi).id == card.id  # same holder: no change
    with pytest.raises(CardTaken):
        service.assign_card(number="04A2241B", person_id=anil.id)
    frozen_clock.move_to(START + timedelta(minutes=40))
    service.check_in(code=view["code"])
    found = service.lookup_card(number="04 a2 24 1b")
    assert found["person"]["name"] == "Ravi Contractor" and found["blocked"] is False
    assert found["face_enrolled"] is False and [v["code"] for v in found["visits"]] == [view["code"]]
    assert found["visits"][0]["status"] == "checked_in"
    service.release_card(number="04A2241B")
    with pytest.raises(CardNotFound):
        service.lookup_card(number="04A2241B")
    assert service.assign_card(number="04A2241B", person_id=anil.id).person_id == anil.id


def test_card_lookup_shows_a_blocked_holder(reception):
    person = service.record_person(name="Banned Vendor", phone="+91 90000 33333")
    service.assign_card(number="1234ABCD", person_id=person.id)
    service.block_person(actor_id=reception.id, reason="Banned", person_id=person.id)
    assert service.lookup_card(number="1234ABCD")["blocked"] is True


def test_bad_card_numbers_are_refused():
    person = service.record_person(name="Asha", phone="+91 90000 44444")
    for bad in ("", "12", "ZZZZ-1234", "1" * 33):
        with pytest.raises(ValidationFailed):
            service.assign_card(number=bad, person_id=person.id)
    with pytest.raises(PersonNotFound):
        service.assign_card(number="ABCD1234", person_id=9999)
    assert db.session.scalar(db.select(db.func.count()).select_from(Card)) == 0


def test_search_people_by_name_or_phone():
    service.record_person(name="Ravi Contractor", phone="+91 98765 43210")
    service.record_person(name="Anil Electrician", phone="+91 99887 76655")
    names = [p.name for p in db.session.scalars(service.search_people(q="ravi"))]
    assert names == ["Ravi Contractor"]
    assert [p.name for p in db.session.scalars(service.search_people(phone="99887 76655"))] == ["Anil Electrician"]
