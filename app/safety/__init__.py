"""The safety domain: SOS and incidents, units and dispatch, linked incidents, public warnings, and workplace
health & safety (PW-14, PW-17, PW-18, SC-7, CR-3)."""

from celery.schedules import crontab

from app.core.domain import Beat, Channel, Domain, Screen

DOMAIN = Domain(
    name="safety",
    title="Safety",
    tasks="tasks.safety",
    beat={
        "safety-escalate-unacknowledged": Beat("tasks.safety.escalate_unacknowledged", crontab(minute="*")),
        # daily, so a missed Monday is caught up; the digest itself goes out once per ISO week
        "safety-compliance-digest": Beat("tasks.safety.send_compliance_digest", crontab(hour=7, minute=0)),
    },
    channels=(Channel("emergency", events=("emergency",), roles=("operator", "safety_officer"),
                      snapshot="service:emergency_snapshot"),),
    subscribes={
        "temples.zone_critical": "service:on_zone_critical",
        "alerts.alert_created": "service:on_alert_created",
        "city.environment_alert": "service:on_environment_alert",
        "parking.lot_full": "service:on_lot_full",
    },
    screens=(Screen("safety", "Incidents", roles=("operator", "safety_officer")),),
    requires=("auth", "temples", "alerts"),
)
