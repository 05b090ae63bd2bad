"""Emergency procedures (CR-3): per incident type, ordered steps and whom to call; readable by all staff."""

from __future__ import annotations

from sqlalchemy import select

from app.core.context import current_actor
from app.core.errors import Conflict, NotFound
from app.core.events import transactional
from app.core.timeutil import utcnow
from app.extensions import db
from app.safety import events
from app.safety.models import Procedure


@transactional
def create_procedure(*, incident_type: str, title: str, steps: list[str], contacts: list[dict]) -> Procedure:
    """Write down a procedure for an incident type (409 when that type already has one of this title)."""
    exists = db.session.scalar(select(Procedure.id).where(Procedure.incident_type == incident_type,
                                                          Procedure.title == title))
    if exists is not None:
        raise Conflict(f"A {incident_type} procedure titled {title!r} already exists.")
    actor = current_actor()
    procedure = Procedure(incident_type=incident_type, title=title, steps=list(steps), contacts=list(contacts),
                          created_by_id=actor.id if actor.kind == "user" else None, created_at=utcnow())
    db.session.add(procedure)
    db.session.flush()
    events.record_changed("procedure_created", entity="procedure", entity_id=procedure.id, action="create",
                          changes={"incident_type": [None, incident_type], "title": [None, title]})
    return procedure


def list_procedures(*, incident_type: str | None = None) -> list[Procedure]:
    """Procedures by incident type and title."""
    stmt = select(Procedure).order_by(Procedure.incident_type, Procedure.title)
    if incident_type is not None:
        stmt = stmt.where(Procedure.incident_type == incident_type)
    return list(db.session.scalars(stmt))


def get_procedure(procedure_id: int) -> Procedure:
    """Return a procedure or raise 404."""
    procedure = db.session.get(Procedure, procedure_id)
    if procedure is None:
        raise NotFound("No procedure with this id.")
    return procedure
