"""Quota releases (issue 14): a set of darshan slots that opens at a given time and is sold through a fair queue.

scheduled → open → sold_out | closed, each step one conditional UPDATE. While a release is scheduled its slots
cannot be booked (409 ``release_not_open``); while it is open a booking for them takes a place in the queue
(``service/queue.py``); once it is sold out a booking gets 409 ``sold_out`` at once; once an operator closes it
its slots are booked directly again. A slot belongs to at most one release that has not closed.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import selectinload

from app.core.errors import InvalidTransition, ValidationFailed
from app.core.events import transactional
from app.core.states import transition
from app.core.timeutil import utcnow
from app.extensions import db
from app.temples import events
from app.temples.errors import ReleaseNotFound, SlotInRelease
from app.temples.models import DarshanSlot, Release, ReleaseAdmission
from app.temples.service.queue_store import queue_store
from app.temples.service.queue_tickets import ticket_view
from app.temples.service.temples import get_temple

LIVE = ("scheduled", "open", "sold_out")
MAX_SLOTS = 500


def _check_slots(temple, slot_ids: list[int], opens_at: datetime) -> list[DarshanSlot]:
    slots = list(db.session.scalars(select(DarshanSlot).where(DarshanSlot.id.in_(slot_ids))))
    foreign = sorted(set(slot_ids) - {s.id for s in slots if s.temple_id == temple.id})
    if foreign:
        raise ValidationFailed({"slot_ids": [f"Not slots of {temple.slug}: {', '.join(map(str, foreign))}."]})
    past = sorted(s.id for s in slots if not s.bookable)
    if past:
        raise ValidationFailed({"slot_ids": [f"Closed or already started: {', '.join(map(str, past))}."]})
    if opens_at >= min(s.starts_at for s in slots):
        raise ValidationFailed({"opens_at": ["Must be before the first slot starts."]})
    return slots


def _claim_slots(release: Release, slot_ids: list[int]) -> None:
    """Attach the slots with one conditional UPDATE: none may belong to another live release."""
    ended = select(Release.id).where(Release.status == "closed")
    claimed = db.session.execute(update(DarshanSlot).where(
        DarshanSlot.id.in_(slot_ids), or_(DarshanSlot.release_id.is_(None), DarshanSlot.release_id.in_(ended)))
        .values(release_id=release.id, held=True).execution_options(synchronize_session=False)).rowcount
    if claimed != len(slot_ids):
        raise SlotInRelease()


@transactional
def create_release(*, temple_slug: str, name: str, opens_at: datetime, slot_ids: list[int],
                   per_person_limit: int = 2, queued: bool = True) -> Release:
    """Create a release of slots opening at ``opens_at``; its slots are held until then."""
    temple = get_temple(slug=temple_slug)
    slot_ids = sorted(set(slot_ids))
    if len(slot_ids) > MAX_SLOTS:
        raise ValidationFailed({"slot_ids": [f"At most {MAX_SLOTS} slots."]})
    _check_slots(temple, slot_ids, opens_at)
    release = Release(temple_id=temple.id, temple=temple, name=name, opens_at=opens_at, queued=queued,
                      per_person_limit=per_person_limit, status="scheduled", created_at=utcnow())
    db.session.add(release)
    db.session.flush()
    _claim_slots(release, slot_ids)
    db.session.expire_all()
    events.release_created(release)
    return _figures(get_release(release.id))


def _release_slots(release_id: int) -> None:
    """The release no longer holds its slots: they are booked directly again."""
    db.session.execute(update(DarshanSlot).where(DarshanSlot.release_id == release_id).values(held=False)
                       .execution_options(synchronize_session=False))
    db.session.expire_all()


def get_release(release_id: int) -> Release:
    """Return a release with its temple and slots or raise 404."""
    release = db.session.get(Release, release_id, options=[selectinload(Release.slots), selectinload(Release.temple)])
    if release is None:
        raise ReleaseNotFound()
    return release


def list_releases(*, temple_slug: str, status: str | None = None) -> list[Release]:
    """The temple's releases, the latest opening first."""
    temple = get_temple(slug=temple_slug)
    stmt = select(Release).where(Release.temple_id == temple.id).options(
        selectinload(Release.slots), selectinload(Release.temple)).order_by(Release.opens_at.desc(), Release.id)
    if status:
        stmt = stmt.where(Release.status == status)
    return [_figures(r) for r in db.session.scalars(stmt)]


@transactional
def change_release(*, release_id: int, **changes) -> Release:
    """Change a release's name, opening time, per-person limit or queueing before it opens."""
    release = get_release(release_id)
    if release.status != "scheduled":
        raise InvalidTransition(f"The release is {release.status}; only a scheduled release can change.")
    opens_at = changes.get("opens_at")
    if opens_at is not None and opens_at >= min(s.starts_at for s in release.slots):
        raise ValidationFailed({"opens_at": ["Must be before the first slot starts."]})
    done = {k: [getattr(release, k), v] for k, v in changes.items() if getattr(release, k) != v}
    values = {k: v[1] for k, v in done.items()}
    if not transition(Release, release.id, from_="scheduled", to="scheduled", values=values):
        raise InvalidTransition("The release has just opened.")
    events.release_changed(release, done)
    return _figures(release)


@transactional
def _open(release_id: int, *, by_operator: bool) -> tuple[Release, bool]:
    release = get_release(release_id)
    now = utcnow()
    if not by_operator and (release.status != "scheduled" or release.opens_at > now):
        return release, False
    values = {"opened_at": now, "opens_at": min(release.opens_at, now)}
    if not transition(Release, release.id, from_="scheduled", to="open", values=values):
        if by_operator:
            db.session.refresh(release)
            raise InvalidTransition(f"The release is {release.status}.")
        return release, False
    events.release_opened(release)
    if not release.queued:  # first come, first served from now on
        _release_slots(release.id)
    queue_store().open(release.id, limit=release.per_person_limit)
    return release, True


def open_release(*, release_id: int) -> Release:
    """Open a scheduled release now (an operator's decision; it also opens by itself at ``opens_at``)."""
    release, _ = _open(release_id, by_operator=True)
    return _figures(release)


def open_if_due(release: Release) -> bool:
    """Open a scheduled release whose time has come (any request or the sweeper may); True when it is open."""
    if release.status == "scheduled" and release.opens_at <= utcnow():
        _open(release.id, by_operator=False)
        db.session.refresh(release)
    return release.status == "open"


@transactional
def end_release(*, release_id: int, to: str) -> Release | None:
    """Move a release to ``sold_out`` (from open) or ``closed`` (from any live state); None when it had already."""
    release = get_release(release_id)
    from_ = ("open",) if to == "sold_out" else LIVE
    if not transition(Release, release.id, from_=from_, to=to, values={"ended_at": utcnow()}):
        return None
    if to == "closed":
        _release_slots(release.id)
    (events.release_sold_out if to == "sold_out" else events.release_closed)(release)
    return release


def tell_waiting(release_id: int, state: str) -> int:
    """The queue has ended (sold_out or closed): answer every waiting ticket at once; return how many waited."""
    ttl = current_app.config.get("RELEASE_TICKET_TTL_SECONDS", 6 * 3600)
    waiting = queue_store().end(release_id, state, ttl=ttl)
    for ticket in waiting:
        events.booking_result(ticket["id"], ticket_view(ticket | {"release_state": state}))
    return len(waiting)


def close_release(*, release_id: int) -> Release:
    """Close a release: its waiting tickets are told at once, and its slots are booked directly again."""
    release = end_release(release_id=release_id, to="closed")
    if release is None:
        raise InvalidTransition("The release is already closed.")
    tell_waiting(release.id, "closed")
    return _figures(release)


def due_releases() -> list[int]:
    """Ids of releases that should be open now, or are open (the sweeper's work list)."""
    return list(db.session.scalars(select(Release.id).where(or_(
        Release.status == "open", (Release.status == "scheduled") & (Release.opens_at <= utcnow())))))


def _figures(release: Release) -> Release:
    """Attach what the release's queue has done so far (waiting, admitted, turned away) for its resource."""
    outcomes = dict(db.session.execute(select(ReleaseAdmission.outcome, func.count()).where(
        ReleaseAdmission.release_id == release.id).group_by(ReleaseAdmission.outcome)).all())
    admitted = outcomes.pop("admitted", 0)
    waiting = queue_store().waiting(release.id) if release.status == "open" else 0
    release.queue_figures = {"waiting": waiting, "admitted": admitted, "turned_away": sum(outcomes.values())}
    return release


def show_release(*, release_id: int) -> Release:
    """One release with its slots, seats and queue figures."""
    return _figures(get_release(release_id))
