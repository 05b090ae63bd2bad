"""The signs domain's public interface: one function per use case (other domains import only this).

Feature modules: ``signs`` (registration, state), ``presence`` (connections, heartbeats, acks, offline),
``templates``, ``messages``, ``overrides``, ``playbook`` (crowd alerts, safety broadcasts), ``submissions``,
``notices`` (SMS/voice), ``sweep``, ``figures`` (KPIs and exports); ``content`` and ``common`` are internal.
"""

from app.signs.service.figures import (
    heartbeat_rows,
    messages_sent,
    online_pct,
    override_rows,
    overrides_activated,
    submissions_pending,
)
from app.signs.service.messages import list_messages, message_detail, send_message
from app.signs.service.notices import send_notice, subscribe_phone, unsubscribe_phone, zone_subscribers
from app.signs.service.overrides import (
    approve_override,
    cancel_override,
    create_override,
    list_overrides,
    override_detail,
)
from app.signs.service.playbook import broadcast_override, on_zone_critical, propose_crowd_alert
from app.signs.service.presence import (
    acknowledge,
    ask_sign,
    authenticate_sign,
    record_heartbeat,
    record_metrics,
    sign_connected,
    sign_disconnected,
)
from app.signs.service.signs import (
    issue_new_key,
    list_signs,
    register_sign,
    sign_detail,
    sign_samples,
    signs_snapshot,
    update_sign,
)
from app.signs.service.submissions import approve, get_submission, list_submissions, reject, submit
from app.signs.service.sweep import purge_samples, sweep
from app.signs.service.templates import create_template, ensure_default_templates, get_template, list_templates

__all__ = [
    "acknowledge", "approve", "approve_override", "ask_sign", "authenticate_sign", "broadcast_override",
    "cancel_override", "create_override", "create_template", "ensure_default_templates", "get_submission",
    "get_template", "heartbeat_rows", "issue_new_key", "list_messages", "list_overrides", "list_signs",
    "list_submissions", "list_templates", "message_detail", "messages_sent", "on_zone_critical", "online_pct",
    "override_detail", "override_rows", "overrides_activated", "propose_crowd_alert", "purge_samples",
    "record_heartbeat", "record_metrics", "register_sign", "reject", "send_message", "send_notice", "sign_connected",
    "sign_detail", "sign_disconnected", "sign_samples", "signs_snapshot", "submissions_pending", "submit",
    "subscribe_phone", "sweep", "unsubscribe_phone", "update_sign", "zone_subscribers",
]
