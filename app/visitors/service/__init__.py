"""The visitors domain's public interface: one function per use case (other domains import only this).

Visits and passes (CR-2) in ``visits``; people, the block list and cards in ``people``,
``blocklist`` and ``cards``; face biometrics (CR-1) in ``biometrics`` and ``biometric_stats``;
overstay reminders in ``reminders``.
"""

from app.visitors.service.biometric_stats import biometric_stats
from app.visitors.service.biometrics import enrol_face, erase_face, identify_face, unavailable_reason, verify_face
from app.visitors.service.blocklist import active_blocks, block_for, block_person, lift_block
from app.visitors.service.cards import assign_card, lookup_card, release_card
from app.visitors.service.figures import on_site_count, overstay_count, visit_rows, visitors_per_day
from app.visitors.service.people import get_person, record_person, search_people
from app.visitors.service.reminders import remind_overstays
from app.visitors.service.visits import (
    check_in,
    check_out,
    expected_today,
    find_visit,
    get_visit,
    invite_visitor,
    on_site,
    pass_document,
    revoke_visit,
    validate_pass,
    visible_visit,
    visit_history,
    visit_history_page,
)

__all__ = [
    "active_blocks", "assign_card", "biometric_stats", "block_for", "block_person", "check_in", "check_out",
    "enrol_face", "erase_face", "expected_today", "find_visit", "get_person", "get_visit", "identify_face",
    "invite_visitor", "lift_block", "lookup_card", "on_site", "on_site_count", "overstay_count", "pass_document",
    "record_person", "release_card", "remind_overstays", "revoke_visit", "search_people", "unavailable_reason",
    "validate_pass", "verify_face", "visible_visit", "visit_history", "visit_history_page", "visit_rows",
    "visitors_per_day",
]
