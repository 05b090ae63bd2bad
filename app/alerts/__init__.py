"""Alerts for the city, a temple or one zone, shared by every domain (PW-15)."""

from app.core.domain import Channel, Domain

DOMAIN = Domain(
    name="alerts",
    title="Alerts",
    channels=(Channel("alerts", events=("alert",)),),
    requires=("temples",),
)
