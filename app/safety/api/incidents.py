"""Safety endpoints: SOS, incidents and their steps, statistics (API.md "safety")."""

from __future__ import annotations

from flask import Response, request
from flask_jwt_extended import get_current_user

from app.core.idempotency import idempotent
from app.core.pagination import PAGINATION, paginate
from app.core.parsing import Blueprint
from app.core.security import OPERATOR, SAFETY_OFFICER, login_required, roles_required
from app.safety import schemas as s
from app.safety import service

blp = Blueprint("safety", __name__, url_prefix="/api/v1/safety",
                description="SOS, incidents, units and dispatch, public warnings (PW-14, PW-18, SC-7)")
RESPONDERS = (OPERATOR, SAFETY_OFFICER)


@blp.route("/sos", methods=["POST"])
@login_required
@idempotent
@blp.arguments(s.SOSBodySchema)
@blp.response(201, s.IncidentSchema)
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def raise_sos(data):
    """Raise an SOS at your position: responders are notified and it appears live on the incidents board."""
    return service.report_sos(user=get_current_user(), **data)


@blp.route("/incidents", methods=["POST"])
@login_required
@idempotent
@blp.arguments(s.IncidentBodySchema)
@blp.response(201, s.IncidentSchema)
@blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
def report_incident(data):
    """Report a workplace or city incident."""
    return service.report_incident(user=get_current_user(), **data)


@blp.route("/incidents", methods=["GET"])
@roles_required(*RESPONDERS)
@blp.arguments(s.IncidentQuerySchema, location="query")
@blp.response(200, s.IncidentSchema(many=True))
@blp.paginate(**PAGINATION)
def list_incidents(query, pagination_parameters):
    """Incident history, newest first, by status, temple, type and period (`from`, `to`)."""
    return paginate(service.list_incidents(**query), pagination_parameters)


@blp.route("/incidents/active", methods=["GET"])
@roles_required(*RESPONDERS)
@blp.arguments(s.ActiveQuerySchema, location="query")
@blp.response(200, s.IncidentSchema(many=True))
def active_incidents(query):
    """Open incidents, most severe first, then oldest first (the board)."""
    return service.active_incidents(**query)


@blp.route("/incidents/stats", methods=["GET"])
@blp.route("/incidents/stats.png", methods=["GET"], endpoint="incident_stats_png")
@roles_required(*RESPONDERS)
@blp.arguments(s.IncidentStatsQuerySchema, location="query")
@blp.response(200, s.IncidentStatsSchema, description="JSON, or a PNG chart with the .png path or `Accept: image/png`")
def incident_stats(query):
    """Counts by type, status, severity and week; mean and p90 minutes to acknowledge, dispatch, arrive, resolve."""
    stats = service.incident_stats(**query)
    wants_png = request.accept_mimetypes.best_match(["application/json", "image/png"]) == "image/png"
    if request.path.endswith(".png") or wants_png:
        return Response(service.stats_chart(stats), mimetype="image/png")
    return stats


@blp.route("/incidents/<code:code>", methods=["GET"])
@login_required
@blp.response(200, s.IncidentSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get_incident(code):
    """One incident with its units, related incidents and timeline (a reporter sees only their own)."""
    return service.incident_for(user=get_current_user(), code=code)


@blp.route("/incidents/<code:code>/acknowledge", methods=["POST"])
@roles_required(*RESPONDERS)
@blp.arguments(s.StepBodySchema, required=False)
@blp.response(200, s.IncidentSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def acknowledge_incident(data, code):
    """Acknowledge a reported incident (the first responder wins; 409 `invalid_transition` after)."""
    return service.acknowledge_incident(code=code, note=data.get("note"))


@blp.route("/incidents/<code:code>/start", methods=["POST"])
@roles_required(*RESPONDERS)
@blp.arguments(s.StepBodySchema, required=False)
@blp.response(200, s.IncidentSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def start_incident(data, code):
    """Start working on an acknowledged incident."""
    return service.start_incident(code=code, note=data.get("note"))


@blp.route("/incidents/<code:code>/resolve", methods=["POST"])
@roles_required(*RESPONDERS)
@blp.arguments(s.StepBodySchema, required=False)
@blp.response(200, s.IncidentSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def resolve_incident(data, code):
    """Resolve an incident in progress; units still serving it are released."""
    return service.resolve_incident(code=code, note=data.get("note"))


@blp.route("/incidents/<code:code>/dispatch", methods=["POST"])
@roles_required(SAFETY_OFFICER)
@blp.arguments(s.DispatchBodySchema, required=False)
@blp.response(200, s.IncidentSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def dispatch_unit(data, code):
    """Send the named unit, or the nearest available unit of a fitting kind (409 `no_unit_available`)."""
    return service.dispatch_unit(code=code, unit_id=data.get("unit_id"))
