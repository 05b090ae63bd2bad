"""The city blueprint (routes in the sibling modules)."""

from app.core.parsing import Blueprint

blp = Blueprint("city", __name__, url_prefix="/api/v1/city",
                description="City sensors and readings, environment, traffic, waste, energy (SC-*)")
