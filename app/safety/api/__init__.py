"""The safety API: one blueprint under /api/v1/safety, its endpoints grouped by use case."""

from app.safety.api import units, workplace  # noqa: F401 - their routes join the blueprint
from app.safety.api.incidents import blp

blueprints = [blp]
