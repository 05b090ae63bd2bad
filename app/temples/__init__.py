"""The temples domain: darshan bookings, quota releases and their fair queue, live crowds, shuttles, resources and
analytics (PW-*)."""

from celery.schedules import crontab

from app.core.domain import Beat, Channel, Domain, Screen

DOMAIN = Domain(
    name="temples",
    title="Temples",
    tasks="tasks.temples",
    beat={
        "temples-booking-reminders": Beat("tasks.temples.send_booking_reminders", crontab(minute="*/10")),
        "temples-maintenance-due": Beat("tasks.temples.remind_maintenance_due", crontab(hour=8, minute=0)),
        # opens releases on time and re-asks for an admitter wherever tickets wait without one
        "temples-release-sweep": Beat("tasks.temples.sweep_releases", 15.0),
    },
    channels=(Channel("crowd", events=("crowd_update",), snapshot="service:crowd_snapshot"),
              Channel("transport", events=("transport_update",))),
    subscribes={"temples.booking_cancelled": "service:on_booking_cancelled"},
    hooks={"temple_resolver": "service:resolve_temple"},
    # namespace /queue: a queue ticket's holder gets `booking_result` in that ticket's room (per client, so no
    # Channel: channels' rooms are shared by place or module)
    sockets="sockets",
    # the operators' temples screen: slots, booking search, gate check-in, crowds, shuttles, resources
    screens=(Screen("temples", "Temples", roles=("operator",)),),
    requires=("auth",),
)
