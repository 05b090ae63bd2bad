"""Visits (CR-2): invite, validate the pass, check in and out, revoke; history and the on-site roll-call.

A visit moves ``expected → checked_in → checked_out`` or ``expected → revoked``, each step one
conditional UPDATE (``… WHERE status = 'expected'``): two receptionists pressing "check in" at
once make one check-in, one host notification and one 409 ``invalid_transition``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import select

from app.auth import service as auth_service
from app.core.codes import short_code
from app.core.errors import NotFound, Unauthorized, ValidationFailed
from app.core.events import transactional
from app.core.pagination import paginate
from app.core.security import RECEPTION, ensure_owner_or_roles, has_role
from app.core.states import transition
from app.core.timeutil import local_to_utc, local_today, utcnow
from app.extensions import db
from app.visitors import events
from app.visitors.errors import InvalidPass, NotYourVisit, VisitNotFound, VisitorBlocked, VisitOutOfOrder
from app.visitors.models import CHECKED_IN, CHECKED_OUT, EXPECTED, REVOKED, Visit
from app.visitors.service import notices, passes
from app.visitors.service.blocklist import block_for
from app.visitors.service.people import record_person
from app.visitors.service.views import visit_view, visit_views

DESK = (RECEPTION,)
MAX_DAYS_AHEAD = 180
VERBS = {CHECKED_IN: "checked in", CHECKED_OUT: "checked out", REVOKED: "revoked"}


def _host(host_id: int):
    try:
        host = auth_service.get_user(host_id)
    except NotFound:
        host = None
    if host is None or not host.is_active:
        raise ValidationFailed({"host_id": ["No active user with this id."]})
    return host


def _check_time(expected_at: datetime, valid_hours: int) -> None:
    longest = current_app.config["VISIT_MAX_HOURS"]
    if not 1 <= valid_hours <= longest:
        raise ValidationFailed({"valid_hours": [f"A pass lasts 1 to {longest} hours."]})
    now = utcnow()
    if expected_at + timedelta(hours=valid_hours) <= now:
        raise ValidationFailed({"expected_at": ["This pass would already have expired: choose a later time."]})
    if expected_at > now + timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationFailed({"expected_at": [f"Invite at most {MAX_DAYS_AHEAD} days ahead."]})


def _new_code() -> str:
    while True:
        code = short_code("VIS")
        if db.session.scalar(select(Visit.id).where(Visit.code == code)) is None:
            return code


@transactional
def invite_visitor(*, actor, visitor: dict, host_id: int, purpose: str, expected_at: datetime,
                   valid_hours: int | None = None) -> dict:
    """Invite a visitor: a pass valid around the expected time, sent to them by e-mail and SMS."""
    if host_id != actor.id and not has_role(actor, *DESK):
        raise NotYourVisit()
    host = _host(host_id)
    valid_hours = current_app.config["VISIT_DEFAULT_HOURS"] if valid_hours is None else valid_hours
    _check_time(expected_at, valid_hours)
    person = record_person(**visitor)
    if block_for(person) is not None:
        raise VisitorBlocked()
    valid_from, valid_until = passes.validity_window(expected_at, valid_hours)
    visit = Visit(code=_new_code(), person_id=person.id, host_id=host.id, created_by_id=actor.id,
                  purpose=" ".join(purpose.split()), expected_at=expected_at, valid_from=valid_from,
                  valid_until=valid_until, status=EXPECTED, created_at=utcnow())
    db.session.add(visit)
    db.session.flush()
    view = visit_view(visit, host)
    notices.send_pass(view, person)
    events.visit_created(view)
    return view


def find_visit(code: str) -> Visit:
    """The visit with this code (any case) or 404."""
    visit = db.session.scalar(select(Visit).where(Visit.code == (code or "").strip().upper()))
    if visit is None:
        raise VisitNotFound()
    return visit


def visible_visit(*, actor, code: str) -> Visit:
    """A visit reception may see, or the host's own; 404 for anyone else's."""
    visit = db.session.scalar(select(Visit).where(Visit.code == (code or "").strip().upper()))
    return ensure_owner_or_roles(actor, visit, *DESK, owner="host_id", missing=VisitNotFound)


def get_visit(*, actor, code: str) -> dict:
    """Return one visit (reception: any; a host: their own)."""
    return visit_view(visible_visit(actor=actor, code=code))


def pass_document(*, code: str, actor=None, token: str | None = None) -> tuple[str, bytes]:
    """The printable pass: opened with its own token (the visitor's link), or by reception or the host."""
    if token:
        visit = find_visit(code)
        if passes.code_from_token(token) != visit.code:
            raise InvalidPass("unknown")
        if visit.status == REVOKED:
            raise InvalidPass("revoked")
    elif actor is not None:
        visit = visible_visit(actor=actor, code=code)
    else:
        raise Unauthorized("Log in, or open the pass with the link you were sent.")
    view = visit_view(visit)
    return f"visitor-pass-{visit.code}.pdf", passes.pass_pdf(view, view["token"])


def _refuse_inadmissible(visit: Visit) -> None:
    """Why this expected visit's pass cannot admit anyone now, in the order a guard would ask."""
    if block_for(visit.person) is not None:
        raise InvalidPass("blocked")
    now = utcnow()
    if now < visit.valid_from:
        raise InvalidPass("not_yet_valid", f"Come back after {visit.valid_from.isoformat()}.")
    if now > visit.valid_until:
        raise InvalidPass("expired")


def validate_pass(*, token: str) -> dict:
    """Return the visit a scanned pass belongs to; 400 invalid_token with the reason it cannot be used."""
    try:
        visit = find_visit(passes.code_from_token(token))
    except VisitNotFound as exc:
        raise InvalidPass("unknown") from exc
    if visit.status == REVOKED:
        raise InvalidPass("revoked")
    if visit.status == CHECKED_OUT:
        raise InvalidPass("used")
    if visit.status == EXPECTED:
        _refuse_inadmissible(visit)
    return visit_view(visit)


def _move(visit: Visit, to: str, from_: str, *, values: dict) -> bool:
    """Move the visit with one conditional UPDATE (``WHERE status = from_``); False when it was elsewhere."""
    moved = transition(Visit, visit.id, from_=(from_,), to=to, values=values)
    db.session.refresh(visit)
    return moved


def _out_of_order(visit: Visit, to: str) -> VisitOutOfOrder:
    return VisitOutOfOrder(f"The visit is {visit.status.replace('_', ' ')}: it cannot be {VERBS[to]}.")


@transactional
def check_in(*, code: str) -> dict:
    """Check a visitor in at reception; the host is told at once (e-mail, SMS, chat)."""
    visit = find_visit(code)
    if visit.status == EXPECTED:
        _refuse_inadmissible(visit)
    if not _move(visit, CHECKED_IN, EXPECTED, values={"checked_in_at": utcnow()}):
        raise _out_of_order(visit, CHECKED_IN)
    view = visit_view(visit)
    notices.tell_host_of_arrival(view)
    events.visit_changed("checked_in", view, EXPECTED)
    return view


@transactional
def check_out(*, code: str) -> dict:
    """Record that a checked-in visitor has left."""
    visit = find_visit(code)
    if not _move(visit, CHECKED_OUT, CHECKED_IN, values={"checked_out_at": utcnow()}):
        raise _out_of_order(visit, CHECKED_OUT)
    view = visit_view(visit)
    events.visit_changed("checked_out", view, CHECKED_IN)
    return view


@transactional
def revoke_visit(*, actor, code: str, reason: str | None = None) -> dict:
    """Cancel an invitation that has not been used (host or reception); its pass stops working at once."""
    visit = visible_visit(actor=actor, code=code)
    values = {"revoked_at": utcnow(), "revoke_reason": (reason or "").strip() or None}
    if not _move(visit, REVOKED, EXPECTED, values=values):
        raise _out_of_order(visit, REVOKED)
    view = visit_view(visit)
    events.visit_changed("revoked", view, EXPECTED)
    return view


def visit_history(*, actor, day: date | None = None, status: str | None = None, host_id: int | None = None):
    """A select of visits by local date, status and host, newest expected first; hosts see only their own."""
    stmt = select(Visit).order_by(Visit.expected_at.desc(), Visit.id.desc())
    if not has_role(actor, *DESK):
        host_id = actor.id
    if host_id is not None:
        stmt = stmt.where(Visit.host_id == host_id)
    if status:
        stmt = stmt.where(Visit.status == status)
    if day is not None:
        start = local_to_utc(day, time(0))
        stmt = stmt.where(Visit.expected_at >= start, Visit.expected_at < start + timedelta(days=1))
    return stmt


def visit_history_page(*, actor, pagination_parameters, **filters) -> list[dict]:
    """One page of the visit history (see ``visit_history``)."""
    return visit_views(paginate(visit_history(actor=actor, **filters), pagination_parameters))


def on_site() -> list[dict]:
    """Everyone checked in now, longest inside first, with their hosts (the fire roll-call)."""
    visits = db.session.scalars(select(Visit).where(Visit.status == CHECKED_IN)
                                .order_by(Visit.checked_in_at, Visit.id)).all()
    return visit_views(visits)


def expected_today() -> list[dict]:
    """Visits still expected whose pass is valid now or opens later today (city time), earliest first: the desk list."""
    now = utcnow()
    end_of_day = local_to_utc(local_today() + timedelta(days=1), time(0))
    visits = db.session.scalars(select(Visit).where(
        Visit.status == EXPECTED, Visit.valid_until >= now, Visit.valid_from < end_of_day)
        .order_by(Visit.expected_at, Visit.id)).all()
    return visit_views(visits)
