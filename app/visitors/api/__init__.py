"""The visitors API (API.md "visitors"): ``/api/v1/visitors/…`` and the pass desk's ``/api/v1/visits/{code}/…``."""

from app.visitors.api import desk, faces, visits  # noqa: F401 - each module adds its routes
from app.visitors.api.blueprints import faces_blp, visitors_blp, visits_blp

blueprints = [visitors_blp, faces_blp, visits_blp]
