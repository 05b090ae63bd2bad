"""Inspections (CR-3): checklists with a due date and an assignee; results per item; a failed item
opens a corrective action with an owner and a due date.

Each item's result is written once, by a conditional UPDATE (``WHERE result IS NULL``): two
inspectors submitting the same item cannot both record it. The inspection completes when its
last item has a result.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select, update

from app.core.context import current_actor
from app.core.errors import NotFound, ValidationFailed
from app.core.events import transactional
from app.core.states import transition
from app.core.timeutil import local_today, utcnow
from app.extensions import db
from app.safety import events
from app.safety.errors import InvalidTransition
from app.safety.models import CorrectiveAction, Inspection, InspectionItem
from app.safety.service.common import place, setting, user_name


@transactional
def create_inspection(*, title: str, site: str, due_on: date, items: list[str], assignee_id: int | None = None,
                      temple=None) -> Inspection:
    """Schedule an inspection from a checklist."""
    if assignee_id is not None:
        user_name(assignee_id, "assignee_id")
    temple_id, slug, _zone = place(temple, None)
    actor = current_actor()
    inspection = Inspection(title=title, site=site, due_on=due_on, assignee_id=assignee_id, temple_id=temple_id,
                            temple=slug, status="scheduled", created_at=utcnow(),
                            created_by_id=actor.id if actor.kind == "user" else None,
                            items=[InspectionItem(seq=n, text=t) for n, t in enumerate(items, start=1)])
    db.session.add(inspection)
    db.session.flush()
    events.record_changed("inspection_created", entity="inspection", entity_id=inspection.id, action="create",
                          changes={"title": [None, title], "due_on": [None, due_on], "items": [None, len(items)]})
    return inspection


def get_inspection(inspection_id: int) -> Inspection:
    """Return an inspection or raise 404."""
    inspection = db.session.get(Inspection, inspection_id)
    if inspection is None:
        raise NotFound("No inspection with this id.")
    return inspection


def list_inspections(*, status: str | None = None, overdue: bool | None = None):
    """A select of inspections, soonest due first."""
    stmt = select(Inspection).order_by(Inspection.due_on, Inspection.id)
    if status is not None:
        stmt = stmt.where(Inspection.status == status)
    if overdue:
        stmt = stmt.where(Inspection.status == "scheduled", Inspection.due_on < local_today())
    return stmt


def _record(item: InspectionItem, result: dict, who_id: int | None) -> None:
    stmt = (update(InspectionItem).where(InspectionItem.id == item.id, InspectionItem.result.is_(None))
            .values(result=result["result"], note=result.get("note"), answered_at=utcnow(), answered_by_id=who_id)
            .execution_options(synchronize_session=False))
    if db.session.execute(stmt).rowcount != 1:
        raise InvalidTransition(f"Item {item.seq} ({item.text!r}) already has a result.")


def _open_action(inspection: Inspection, item: InspectionItem, spec: dict | None) -> CorrectiveAction:
    spec = spec or {}
    owner_id = spec.get("owner_id") or inspection.assignee_id
    if owner_id is not None:
        user_name(owner_id, "owner_id")
    due_on = spec.get("due_on") or local_today() + timedelta(days=setting("CORRECTIVE_ACTION_DAYS"))
    action = CorrectiveAction(inspection_id=inspection.id, item_id=item.id, owner_id=owner_id, due_on=due_on,
                              description=spec.get("description") or f"Fix: {item.text}", status="open",
                              created_at=utcnow())
    db.session.add(action)
    return action


def _check_results(inspection: Inspection, results: list[dict]) -> dict[int, InspectionItem]:
    items = {item.id: item for item in inspection.items}
    unknown = [r["item_id"] for r in results if r["item_id"] not in items]
    if unknown:
        raise ValidationFailed({"results": [f"Item(s) {unknown} are not on this inspection's checklist."]})
    if len({r["item_id"] for r in results}) != len(results):
        raise ValidationFailed({"results": ["Give each item once."]})
    if any(r.get("action") and r["result"] != "fail" for r in results):
        raise ValidationFailed({"results": ["Only a failed item takes a corrective action."]})
    return items


@transactional
def record_results(*, inspection_id: int, results: list[dict]) -> Inspection:
    """Record results per item; each failed item opens a corrective action; the last result completes it."""
    inspection = get_inspection(inspection_id)
    items = _check_results(inspection, results)
    actor = current_actor()
    for result in results:
        item = items[result["item_id"]]
        _record(item, result, actor.id if actor.kind == "user" else None)
        if result["result"] == "fail":
            _open_action(inspection, item, result.get("action"))
    db.session.flush()
    unanswered = db.session.scalar(select(func.count()).where(InspectionItem.inspection_id == inspection.id,
                                                              InspectionItem.result.is_(None)))
    if unanswered == 0:
        transition(Inspection, inspection.id, from_=("scheduled",), to="completed", values={"completed_at": utcnow()})
    db.session.expire_all()
    failed = sum(r["result"] == "fail" for r in results)
    events.record_changed("inspection_results_recorded", entity="inspection", entity_id=inspection.id,
                          action="update", changes={"results": [None, len(results)], "failed": [None, failed]})
    return get_inspection(inspection_id)


def list_corrective_actions(*, status: str | None = None):
    """A select of corrective actions, soonest due first."""
    stmt = select(CorrectiveAction).order_by(CorrectiveAction.due_on, CorrectiveAction.id)
    return stmt if status is None else stmt.where(CorrectiveAction.status == status)


@transactional
def close_corrective_action(*, action_id: int, note: str | None = None) -> CorrectiveAction:
    """Close an open corrective action (409 when it is closed already)."""
    action = db.session.get(CorrectiveAction, action_id)
    if action is None:
        raise NotFound("No corrective action with this id.")
    if not transition(CorrectiveAction, action.id, from_=("open",), to="closed",
                      values={"closed_at": utcnow(), "closing_note": note}):
        raise InvalidTransition("This corrective action is already closed.")
    db.session.refresh(action)
    events.record_changed("corrective_action_closed", entity="corrective_action", entity_id=action.id,
                          action="update", changes={"status": ["open", "closed"]})
    return action
