"""Attendee submissions (CA-6): lost, found and meet-up notes, moderated before they reach signs.

The public form is rate limited at the HTTP layer; here the text is stripped of markup and limited
in length. A submission is invisible on signs until approved; approval turns it into a message on
the signs of its zone (for ``SIGNS_SUBMISSION_HOURS``); a rejection keeps its reason.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from app.core.errors import InvalidTransition, ValidationFailed
from app.core.events import transactional
from app.core.states import transition
from app.core.timeutil import utcnow
from app.extensions import db
from app.signs import events
from app.signs.errors import SubmissionNotFound
from app.signs.models import APPROVED, PENDING, REJECTED, Sign, SignSubmission
from app.signs.schemas import MAX_SUBMISSION
from app.signs.service.common import acting_user_id, setting
from app.signs.service.messages import send_message
from app.signs.wording import plain_text

DEFAULT_CONTACT = "the help desk"


def _zone_with_signs(zone: str) -> str:
    if db.session.scalar(select(Sign.id).where(Sign.zone == zone).limit(1)) is None:
        raise ValidationFailed({"zone": [f"No signs in zone '{zone}'."]})
    return zone


@transactional
def submit(*, kind: str, text: str, zone: str | None = None, contact: str | None = None) -> SignSubmission:
    """Take an attendee's note for moderation (markup removed, at most 280 characters)."""
    shown = plain_text(text)
    if not shown:
        raise ValidationFailed({"text": ["The text is empty once markup is removed."]})
    if len(shown) > MAX_SUBMISSION:
        raise ValidationFailed({"text": [f"At most {MAX_SUBMISSION} characters (this has {len(shown)})."]})
    submission = SignSubmission(kind=kind, text=shown, zone=_zone_with_signs(zone) if zone else None,
                                contact=plain_text(contact or "")[:100] or None, status=PENDING, created_at=utcnow())
    db.session.add(submission)
    db.session.flush()
    events.submission_changed("new_submission", submission, action="create",
                              changes={"kind": [None, kind], "text": [None, shown]})
    return submission


def get_submission(submission_id: int) -> SignSubmission:
    """Return a submission or raise 404."""
    submission = db.session.get(SignSubmission, submission_id)
    if submission is None:
        raise SubmissionNotFound()
    return submission


def list_submissions(*, status: str | None = None):
    """A select of submissions for moderation, oldest pending first."""
    stmt = select(SignSubmission).order_by(SignSubmission.created_at, SignSubmission.id)
    return stmt.where(SignSubmission.status == status) if status else stmt


@transactional
def approve(*, submission_id: int, zone: str | None = None, expires_at: datetime | None = None) -> SignSubmission:
    """Approve a pending submission: it becomes a message on the signs of its zone."""
    submission = get_submission(submission_id)
    zone = zone or submission.zone
    if zone is None:
        raise ValidationFailed({"zone": ["This submission names no zone: choose one."]})
    _moderate(submission, APPROVED)
    expires_at = expires_at or utcnow() + timedelta(hours=setting("SIGNS_SUBMISSION_HOURS"))
    message = send_message(targets={"zones": [_zone_with_signs(zone)]}, template=f"attendee_{submission.kind}",
                           params={"text": submission.text, "contact": submission.contact or DEFAULT_CONTACT},
                           expires_at=expires_at, source="submission")
    submission.message_id, submission.zone = message["id"], zone
    events.submission_changed("submission_approved", submission, action="approve",
                              changes={"status": [PENDING, APPROVED], "message_id": [None, message["id"]]})
    return submission


@transactional
def reject(*, submission_id: int, reason: str) -> SignSubmission:
    """Reject a pending submission, keeping the reason."""
    submission = get_submission(submission_id)
    _moderate(submission, REJECTED, reason=plain_text(reason))
    events.submission_changed("submission_rejected", submission, action="reject",
                              changes={"status": [PENDING, REJECTED], "reason": [None, submission.reason]})
    return submission


def _moderate(submission: SignSubmission, to: str, reason: str | None = None) -> None:
    if not transition(SignSubmission, submission.id, from_=(PENDING,), to=to,
                      values={"moderated_at": utcnow(), "moderated_by": acting_user_id(), "reason": reason}):
        db.session.refresh(submission)
        raise InvalidTransition(f"Only a pending submission can be moderated; this one is {submission.status}.")
