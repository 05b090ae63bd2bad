"""The temples domain's blueprints: temples, slots and bookings; crowds, shuttles, resources, analytics."""

from app.temples.api.bookings import blp as bookings_blp
from app.temples.api.live import blp as live_blp
from app.temples.api.releases import blp as releases_blp

blueprints = [bookings_blp, live_blp, releases_blp]
