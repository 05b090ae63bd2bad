"""Who hears about an incident: responders at once, the next contact list when nobody acknowledges.

Responders are the active operators and safety officers (e-mail; SMS to their phone for an SOS or
a high/critical incident), ``SAFETY_RESPONDER_EMAILS``/``SAFETY_RESPONDER_SMS`` and the platform's
chat webhooks; every message carries a deep link to the incident on the console. A critical
incident still ``reported`` after ``SAFETY_ESCALATION_MINUTES`` escalates once to
``SAFETY_ESCALATION_EMAILS``/``SAFETY_ESCALATION_SMS`` and the admins. Each send has a dedupe key,
and the escalation is claimed by a conditional UPDATE, so a re-run or a second beat sends nothing twice.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from app.auth import service as auth_service
from app.core import notify
from app.core.events import transactional
from app.core.security import ADMIN, OPERATOR, SAFETY_OFFICER
from app.core.timeutil import to_local, utcnow
from app.extensions import db
from app.safety import events
from app.safety.models import REPORTED, Incident
from app.safety.service.common import SYSTEM, recipient_key, setting
from app.safety.service.timeline import add_step

URGENT = ("high", "critical")


def deep_link(incident: Incident) -> str:
    """The console page that opens this incident."""
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/console/safety?incident={incident.code}"


def _message(incident: Incident, headline: str) -> tuple[str, str]:
    where = incident.temple and f"{incident.temple}" + (f" / {incident.zone}" if incident.zone else "")
    position = f"{incident.lat:.5f}, {incident.lng:.5f}" if incident.lat is not None else None
    lines = [incident.title, f"Type {incident.type}, severity {incident.severity}, status {incident.status}.",
             f"Where: {where or incident.location_text or position or 'not given'}",
             f"Reported {to_local(incident.reported_at):%d %b %H:%M} by {incident.reported_by_name or 'unknown'}.",
             incident.description or "", f"Open: {deep_link(incident)}"]
    subject = f"{headline} {incident.code} [{incident.severity.upper()}]: {incident.title}"
    return subject, "\n".join(line for line in lines if line)


def _send_all(kind: str, incident: Incident, subject: str, body: str, emails, phones, hooks) -> int:
    sent = 0
    for channel, recipients in (("email", emails), ("sms", phones), ("chat", hooks)):
        for to in sorted(set(recipients)):
            text = f"{subject}. {deep_link(incident)}" if channel == "sms" else body
            notify.send(channel, to, subject, text, dedupe_key=recipient_key(kind, incident.code, channel, to))
            sent += 1
    return sent


def notify_new_incident(incident: Incident) -> int:
    """Tell responders about a new incident (SMS only when it is an SOS or high/critical)."""
    staff = auth_service.users_by_role(OPERATOR, SAFETY_OFFICER)
    urgent = incident.source == "sos" or incident.severity in URGENT
    phones = [*setting("RESPONDER_SMS"), *(u.phone for u in staff if u.phone)] if urgent else []
    subject, body = _message(incident, "SOS" if incident.source == "sos" else "Incident")
    return _send_all("new", incident, subject, body, [*setting("RESPONDER_EMAILS"), *(u.email for u in staff)],
                     phones, current_app.config["CHAT_WEBHOOK_URLS"])


def _claim_escalation(incident: Incident) -> bool:
    """Mark the incident escalated unless someone acknowledged or escalated it meanwhile."""
    stmt = (update(Incident).where(Incident.id == incident.id, Incident.status == REPORTED,
                                   Incident.escalated_at.is_(None))
            .values(escalated_at=utcnow()).execution_options(synchronize_session=False))
    return db.session.execute(stmt).rowcount == 1


def _escalate(incident: Incident) -> bool:
    if not _claim_escalation(incident):
        return False
    db.session.refresh(incident)
    minutes = setting("ESCALATION_MINUTES")
    add_step(incident, "escalated", f"Not acknowledged within {minutes} minutes: escalated.", who=SYSTEM)
    admins = [u.email for u in auth_service.users_by_role(ADMIN)]
    subject, body = _message(incident, f"ESCALATED (unacknowledged {minutes} min)")
    _send_all("escalated", incident, subject, body, [*setting("ESCALATION_EMAILS"), *admins],
              setting("ESCALATION_SMS"), current_app.config["CHAT_WEBHOOK_URLS"])
    events.incident_updated(incident, action="escalate", changes={"escalated_at": [None, incident.escalated_at]})
    return True


@transactional
def escalate_unacknowledged() -> int:
    """Escalate critical incidents unacknowledged for too long, each once; return how many escalated now."""
    due = utcnow() - timedelta(minutes=setting("ESCALATION_MINUTES"))
    stmt = (select(Incident).where(Incident.status == REPORTED, Incident.severity == "critical",
                                   Incident.escalated_at.is_(None), Incident.reported_at <= due)
            .order_by(Incident.reported_at))
    return sum(_escalate(incident) for incident in db.session.scalars(stmt))
