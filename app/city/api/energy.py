"""Energy: feeder loads and balancing, consumption and carbon, peak-demand forecast."""

from __future__ import annotations

from datetime import timedelta

from app.city import schemas as s
from app.city import service
from app.city.api.blueprint import blp
from app.core.security import OPERATOR, roles_required
from app.core.timeutil import utcnow


@blp.route("/energy/grids", methods=["GET"])
@roles_required(OPERATOR)
@blp.response(200)
def grids():
    """Load per feeder against capacity, renewable share, and load-balancing recommendations."""
    return service.energy_grids()


@blp.route("/energy/consumption", methods=["GET"])
@roles_required(OPERATOR)
@blp.arguments(s.PeriodQuerySchema, location="query")
@blp.response(200)
def consumption(query):
    """Energy used, renewable share and carbon (kg CO₂ at the grid factor) over a period (default 24 h)."""
    end = query.get("end") or utcnow()
    return service.energy_consumption(start=query.get("start") or end - timedelta(days=1), end=end)


@blp.route("/energy/forecast", methods=["GET"])
@roles_required(OPERATOR)
@blp.arguments(s.ForecastQuerySchema, location="query")
@blp.response(200)
def forecast(query):
    """Expected total demand per hour for the next hours (default 24) and the expected peak."""
    return service.energy_forecast(hours=query["hours"])
