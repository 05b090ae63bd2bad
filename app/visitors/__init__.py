"""The visitors domain (CR-1, CR-2): invitations and signed passes, reception check-in/out with host
notification, the on-site roll-call, the block list, RFID cards and face biometrics with consent."""

from celery.schedules import crontab

from app.core.domain import Beat, Channel, Domain, Screen

DESK = ("reception", "safety_officer")

DOMAIN = Domain(
    name="visitors",
    title="Visitors",
    tasks="tasks.visitors",
    beat={"visitors-overstay-reminders": Beat("tasks.visitors.remind_overstays", crontab(minute="*/5"))},
    channels=(Channel("visitors", events=("visit_update",), roles=DESK),),
    screens=(Screen("visitors", "Reception", roles=("reception",)),),
    requires=("auth",),
)
