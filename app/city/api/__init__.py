"""City endpoints (API.md "city"): parse → one service call → dump."""

from app.city.api import dashboard, energy, environment, sensors, traffic, waste  # noqa: F401 - routes join it
from app.city.api.blueprint import blp

__all__ = ["blp"]
