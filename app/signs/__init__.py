"""The festival signs domain (CA-1 … CA-7): live signs over Socket.IO, templates, targeted messages and
overrides with per-sign acknowledgement and auto-revert, moderated attendee submissions, SMS and voice.

Its HTTP paths live under the city's (``/api/v1/city/signs…``); it is its own domain because signs are
a whole capability with their own namespace, sweep and console screens.
"""

from celery.schedules import crontab

from app.core.domain import Beat, Channel, Domain, Screen

# What operators on the `signs` channel receive (CA-3, and the playbook's and acknowledgement's extras).
OPERATOR_EVENTS = ("sign_update", "sign_connected", "sign_disconnected", "sign_offline", "new_submission",
                   "submission_approved", "submission_rejected", "override_proposed", "override_activated",
                   "override_cancelled", "override_unacknowledged", "message_sent", "message_ack")

DOMAIN = Domain(
    name="signs",
    title="Festival signs",
    tasks="tasks.signs",
    beat={
        # every web process holding signs sweeps every SIGNS_SWEEP_SECONDS; beat is the backstop
        "signs-sweep": Beat("tasks.signs.sweep", 10.0),
        "signs-purge-samples": Beat("tasks.signs.purge_samples", crontab(hour=3, minute=45)),
    },
    channels=(Channel("signs", events=OPERATOR_EVENTS, roles=("operator",), snapshot="service:signs_snapshot"),),
    subscribes={"temples.zone_critical": "service:on_zone_critical"},
    sockets="sockets",
    screens=(Screen("signs", "Signs", roles=("operator",)),
             Screen("sign-simulator", "Sign simulator", roles=("operator",))),
    requires=("auth", "temples"),
)
