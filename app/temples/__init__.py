"""The temples domain: darshan bookings, live crowds, shuttles, resources and analytics (PW-*)."""

from celery.schedules import crontab

from app.core.domain import Beat, Channel, Domain

DOMAIN = Domain(
    name="temples",
    title="Temples",
    tasks="tasks.temples",
    beat={
        "temples-booking-reminders": Beat("tasks.temples.send_booking_reminders", crontab(minute="*/10")),
        "temples-maintenance-due": Beat("tasks.temples.remind_maintenance_due", crontab(hour=8, minute=0)),
    },
    channels=(Channel("crowd", events=("crowd_update",), snapshot="service:crowd_snapshot"),
              Channel("transport", events=("transport_update",))),
    hooks={"temple_resolver": "service:resolve_temple"},
    requires=("auth",),
)
