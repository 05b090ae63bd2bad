"""The signs sweep: run every few seconds by each web process (and by beat); safe to run anywhere at once.

Each step claims its changes with conditional UPDATEs, so two processes sweeping together change
(and announce) each thing once: silent signs go offline, quiet ones are pinged, expired overrides
revert, scheduled messages go out, and overrides not acknowledged in time are flagged.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete

from app.core.events import transactional
from app.core.timeutil import utcnow
from app.extensions import db
from app.signs.models import SignSample
from app.signs.service.common import setting
from app.signs.service.messages import dispatch_due_messages
from app.signs.service.overrides import expire_due_overrides, flag_unacknowledged
from app.signs.service.presence import mark_silent_signs_offline, ping_quiet_signs


def sweep() -> dict:
    """Run every time-driven step once; return how many things each changed."""
    return {"expired": expire_due_overrides(), "dispatched": dispatch_due_messages(),
            "offline": mark_silent_signs_offline(), "pinged": ping_quiet_signs(), "flagged": flag_unacknowledged()}


@transactional
def purge_samples() -> int:
    """Drop sampled heartbeats older than SIGNS_SAMPLE_RETENTION_DAYS."""
    cutoff = utcnow() - timedelta(days=setting("SIGNS_SAMPLE_RETENTION_DAYS"))
    return db.session.execute(delete(SignSample).where(SignSample.at < cutoff)).rowcount or 0
