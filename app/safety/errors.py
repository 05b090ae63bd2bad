"""Errors of the safety domain, each with its HTTP status and stable machine code (API.md)."""

from __future__ import annotations

from app.core.errors import Conflict, NotFound


class IncidentNotFound(NotFound):
    message = "No incident with this code."


class UnitNotFound(NotFound):
    message = "No unit with this id."


class InvalidTransition(Conflict):
    """The step is not allowed from the current state (an incident, a unit, a checklist item)."""

    error = "invalid_transition"
    message = "This step is not allowed from the current state."


class UnitBusy(InvalidTransition):
    message = "The unit is serving an incident; release it first."


class NoUnitAvailable(Conflict):
    """No unit of a fitting kind is available (or the one named is busy)."""

    error = "no_unit_available"
    message = "No unit of a fitting kind is available."
