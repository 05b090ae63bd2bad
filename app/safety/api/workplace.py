"""Workplace health & safety endpoints (CR-3): procedures, inspections, corrective actions, trainings,
hazards, compliance."""

from __future__ import annotations

from app.core.idempotency import idempotent
from app.core.pagination import PAGINATION, paginate
from app.core.security import SAFETY_OFFICER, STAFF, roles_required
from app.safety import schemas_workplace as w
from app.safety import service
from app.safety.api.incidents import blp


@blp.route("/procedures", methods=["GET"])
@roles_required(*STAFF)
@blp.arguments(w.ProcedureQuerySchema, location="query")
@blp.response(200, w.ProcedureSchema(many=True))
def list_procedures(query):
    """Emergency procedures, per incident type (`type=`): ordered steps and contacts (all staff)."""
    return service.list_procedures(incident_type=query["type"])


@blp.route("/procedures", methods=["POST"])
@roles_required(SAFETY_OFFICER)
@idempotent
@blp.arguments(w.ProcedureBodySchema)
@blp.response(201, w.ProcedureSchema)
@blp.alt_response(409, response="CONFLICT")
def create_procedure(data):
    """Write down an emergency procedure for an incident type."""
    return service.create_procedure(**data)


@blp.route("/inspections", methods=["GET"])
@roles_required(SAFETY_OFFICER)
@blp.arguments(w.InspectionQuerySchema, location="query")
@blp.response(200, w.InspectionSchema(many=True))
@blp.paginate(**PAGINATION)
def list_inspections(query, pagination_parameters):
    """Inspections, soonest due first (`status=`, `overdue=true`)."""
    return paginate(service.list_inspections(**query), pagination_parameters)


@blp.route("/inspections", methods=["POST"])
@roles_required(SAFETY_OFFICER)
@idempotent
@blp.arguments(w.InspectionBodySchema)
@blp.response(201, w.InspectionSchema)
def create_inspection(data):
    """Schedule an inspection from a checklist, with a due date and an assignee."""
    return service.create_inspection(**data)


@blp.route("/inspections/<int:inspection_id>", methods=["GET"])
@roles_required(SAFETY_OFFICER)
@blp.response(200, w.InspectionSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get_inspection(inspection_id):
    """One inspection with its items, results and corrective actions."""
    return service.get_inspection(inspection_id)


@blp.route("/inspections/<int:inspection_id>/results", methods=["POST"])
@roles_required(SAFETY_OFFICER)
@blp.arguments(w.ResultsBodySchema)
@blp.response(200, w.InspectionSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def record_results(data, inspection_id):
    """Record results per item (pass, fail, na); a failed item opens a corrective action."""
    return service.record_results(inspection_id=inspection_id, results=data["results"])


@blp.route("/corrective-actions", methods=["GET"])
@roles_required(SAFETY_OFFICER)
@blp.arguments(w.CorrectiveActionQuerySchema, location="query")
@blp.response(200, w.CorrectiveActionSchema(many=True))
@blp.paginate(**PAGINATION)
def list_corrective_actions(query, pagination_parameters):
    """Corrective actions, soonest due first (`status=open|closed`)."""
    return paginate(service.list_corrective_actions(**query), pagination_parameters)


@blp.route("/corrective-actions/<int:action_id>/close", methods=["POST"])
@roles_required(SAFETY_OFFICER)
@blp.arguments(w.CloseActionBodySchema)
@blp.response(200, w.CorrectiveActionSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def close_corrective_action(data, action_id):
    """Close a corrective action once the fix is done."""
    return service.close_corrective_action(action_id=action_id, note=data.get("note"))


@blp.route("/trainings", methods=["GET"])
@roles_required(SAFETY_OFFICER)
@blp.arguments(w.TrainingQuerySchema, location="query")
@blp.response(200, w.TrainingSchema(many=True))
@blp.paginate(**PAGINATION)
def list_trainings(query, pagination_parameters):
    """Training records, those expiring soonest first."""
    return paginate(service.list_trainings(**query), pagination_parameters)


@blp.route("/trainings", methods=["POST"])
@roles_required(SAFETY_OFFICER)
@idempotent
@blp.arguments(w.TrainingBodySchema)
@blp.response(201, w.TrainingSchema)
def record_training(data):
    """Record a completed course and until when it is valid."""
    return service.record_training(**data)


@blp.route("/hazards", methods=["GET"])
@roles_required(SAFETY_OFFICER)
@blp.arguments(w.HazardQuerySchema, location="query")
@blp.response(200, w.HazardSchema(many=True))
@blp.paginate(**PAGINATION)
def list_hazards(query, pagination_parameters):
    """The hazard register, highest risk first (`band=`, `status=`)."""
    return paginate(service.list_hazards(**query), pagination_parameters)


@blp.route("/hazards", methods=["POST"])
@roles_required(SAFETY_OFFICER)
@idempotent
@blp.arguments(w.HazardBodySchema)
@blp.response(201, w.HazardSchema)
def create_hazard(data):
    """Identify a hazard: likelihood × severity gives its risk score and band."""
    return service.create_hazard(**data)


@blp.route("/hazards/<int:hazard_id>", methods=["PATCH"])
@roles_required(SAFETY_OFFICER)
@blp.arguments(w.HazardChangeSchema)
@blp.response(200, w.HazardSchema)
@blp.alt_response(404, response="NOT_FOUND")
def update_hazard(data, hazard_id):
    """Reassess a hazard: scores, controls, owner, review date, open or closed."""
    return service.update_hazard(hazard_id=hazard_id, **data)


@blp.route("/compliance", methods=["GET"])
@roles_required(SAFETY_OFFICER)
@blp.response(200, w.ComplianceSchema)
def compliance():
    """Overdue inspections, open corrective actions, expired and expiring trainings, high risks, reviews due."""
    return service.compliance_report()
