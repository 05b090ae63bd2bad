"""City errors: each carries its HTTP status and stable machine code."""

from __future__ import annotations

from app.core.errors import APIError, Conflict, Forbidden, InvalidTransition, NotFound, ValidationFailed


class SensorNotFound(NotFound):
    error, message = "sensor_not_found", "No city sensor with this id."


class NotASensor(Forbidden):
    error, message = "not_a_sensor", "Only devices of kind sensor send readings."


class BatchTooLarge(APIError):
    status, error, message = 413, "batch_too_large", "Too many readings in one request."


class ZoneNotFound(NotFound):
    error, message = "zone_not_found", "No sensors report from this zone."


class JunctionNotFound(NotFound):
    error, message = "junction_not_found", "No junction with this id or key."


class IncidentNotFound(NotFound):
    error, message = "traffic_incident_not_found", "No traffic incident with this id."


class IncidentResolved(InvalidTransition):
    message = "The incident is already resolved."


class NoRoute(Conflict):
    error, message = "no_route", "The two points are not connected by the road network."


class OffNetwork(ValidationFailed):
    message = "A point is too far from the road network."


class BinNotFound(NotFound):
    error, message = "bin_not_found", "No waste bin with this id."


class CollectionNotFound(NotFound):
    error, message = "collection_not_found", "No waste collection with this id."


class CollectionClosed(InvalidTransition):
    message = "Only a scheduled collection can be completed or cancelled."


class PlanNotFound(NotFound):
    error, message = "route_plan_not_found", "No waste route plan with this id."


class FeederNotFound(NotFound):
    error, message = "feeder_not_found", "No feeder with this id."
