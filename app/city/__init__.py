"""The city domain (SC-2 … SC-9): sensors and readings over HTTP and MQTT, air quality, traffic, waste, energy,
and the live ``city`` channel."""

from celery.schedules import crontab

from app.core.domain import Beat, Channel, Domain, Screen

DOMAIN = Domain(
    name="city",
    title="City",
    tasks="tasks.city",
    beat={
        "city-readings-roll-up": Beat("tasks.city.roll_up_readings", crontab(minute=15)),
        "city-air-quality": Beat("tasks.city.evaluate_air_quality", crontab(minute="*/5")),
    },
    channels=(Channel("city", events=("traffic_update", "environment_alert", "emergency_alert", "system_update"),
                      roles=("operator", "safety_officer"), scoping="module"),),
    sockets="sockets",
    commands="cli:city",
    screens=(Screen("city", "City", roles=("operator", "safety_officer")),),
    requires=("auth",),
)
