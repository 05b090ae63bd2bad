"""Errors of the safety domain, each with its HTTP status and stable machine code (API.md)."""

from __future__ import annotations

from app.core.errors import Conflict, NotFound


class IncidentNotFound(NotFound):
    error = "not_found"
    message = "No incident with this code."


class UnitNotFound(NotFound):
    error = "not_found"
    message = "No unit with this id."


class InvalidTransition(Conflict):
    error = "invalid_transition"
    message = "This step is not allowed from the incident's current status."


class NoUnitAvailable(Conflict):
    error = "no_unit_available"
    message = "No unit of a fitting kind is available."


class UnitBusy(Conflict):
    """A unit cannot be edited into another state while it serves an incident."""

    error = "invalid_transition"
    message = "The unit is serving an incident; release it first."
