"""Traffic: congestion, peak hours, forecasts, signal plans, incidents and the emergency route."""

from __future__ import annotations

from flask_jwt_extended import get_current_user

from app.city import schemas as s
from app.city import service
from app.city.api.blueprint import blp
from app.core.idempotency import idempotent
from app.core.pagination import PAGINATION, paginate
from app.core.security import OPERATOR, SAFETY_OFFICER, roles_required


@blp.route("/traffic/congestion", methods=["GET"])
@roles_required(OPERATOR)
@blp.arguments(s.AQIQuerySchema, location="query")
@blp.response(200)
def congestion(query):
    """Congestion per road segment (free/moderate/heavy/jammed from speed against free flow)."""
    return service.congestion(zone=query.get("zone"))


@blp.route("/traffic/peak-hours", methods=["GET"])
@roles_required(OPERATOR)
@blp.response(200)
def peak_hours():
    """Local hours ranked by mean traffic flow over the last four weeks."""
    return {"hours": service.peak_hours()}


@blp.route("/traffic/predictions", methods=["GET"])
@roles_required(OPERATOR)
@blp.arguments(s.PredictionsQuerySchema, location="query")
@blp.response(200)
def predictions(query):
    """Expected flow, speed and congestion per segment for the coming hours."""
    return service.predictions(hours=query["hours"])


@blp.route("/traffic/signal-plan", methods=["GET"])
@roles_required(OPERATOR)
@blp.arguments(s.SignalPlanQuerySchema, location="query")
@blp.response(200)
@blp.alt_response(404, response="NOT_FOUND")
def signal_plan(query):
    """Cycle length and green split per phase of a junction by Webster's method, from recent flows."""
    return service.signal_plan(junction=query["junction"])


@blp.route("/traffic/route", methods=["POST"])
@roles_required(OPERATOR, SAFETY_OFFICER)
@blp.arguments(s.EmergencyRouteInputSchema)
@blp.response(200)
@blp.alt_response(409, response="CONFLICT", description="no_route")
def emergency_route(data):
    """The fastest path for an emergency vehicle, weighted by live congestion and open incidents."""
    o, d = data["origin"], data["destination"]
    return service.emergency_route(origin=(o["lat"], o["lng"]), destination=(d["lat"], d["lng"]))


@blp.route("/traffic/incidents", methods=["GET"])
@roles_required(OPERATOR)
@blp.arguments(s.IncidentQuerySchema, location="query")
@blp.response(200, s.TrafficIncidentSchema(many=True))
@blp.paginate(**PAGINATION)
def list_incidents(query, pagination_parameters):
    """Traffic incidents, newest first."""
    return paginate(service.list_incidents(**query), pagination_parameters)


@blp.route("/traffic/incidents", methods=["POST"])
@roles_required(OPERATOR)
@idempotent
@blp.arguments(s.IncidentInputSchema)
@blp.response(201, s.TrafficIncidentSchema)
def report_incident(data):
    """Report an incident on a segment or at a point."""
    return service.report_incident(**data, reported_by=get_current_user().id)


@blp.route("/traffic/incidents/<int:incident_id>", methods=["PATCH"])
@roles_required(OPERATOR)
@blp.arguments(s.IncidentChangeSchema)
@blp.response(200, s.TrafficIncidentSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="invalid_transition")
def update_incident(data, incident_id):
    """Change an incident's severity or description, or resolve it."""
    return service.update_incident(incident_id=incident_id, values=data)
