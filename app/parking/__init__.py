"""The parking domain: lots, spots, reservations, figures, reminders and monthly reports (VP-*)."""

from celery.schedules import crontab

from app.core.domain import Beat, Channel, Domain, Screen

DOMAIN = Domain(
    name="parking",
    title="Parking",
    tasks="tasks.parking",
    beat={
        "parking-daily-reminder": Beat("tasks.parking.send_daily_reminders", crontab(hour=18, minute=0)),
        "parking-monthly-report": Beat("tasks.parking.send_monthly_reports",
                                       crontab(day_of_month=1, hour=9, minute=0)),
    },
    channels=(Channel("parking", events=("parking_update",), snapshot="service:parking_snapshot"),),
    screens=(Screen("parking", "Parking", roles=("operator",)),),
    requires=("auth",),
)
