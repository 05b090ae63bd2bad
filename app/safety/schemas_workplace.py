"""Workplace health & safety schemas (CR-3): procedures, inspections and results, corrective actions,
trainings, hazards and the compliance list."""

from __future__ import annotations

from marshmallow import fields, validate

from app.core.schemas import BodySchema, ChangeSchema, QuerySchema, Schema
from app.safety.models import INCIDENT_TYPES, ITEM_RESULTS, RISK_BANDS
from app.safety.schemas import optional_text, text

SCORE = validate.Range(min=1, max=5)
USER_ID = {"load_default": None, "allow_none": True, "validate": validate.Range(min=1)}


# --- procedures --------------------------------------------------------------------------

class ProcedureContactSchema(BodySchema):
    name = text(120, required=True)
    role = optional_text(120)
    phone = fields.String(load_default=None, allow_none=True,
                          validate=validate.Regexp(r"^\+?[0-9 ()-]{3,20}$", error="Not a phone number."))
    email = fields.Email(load_default=None, allow_none=True)


class ProcedureBodySchema(BodySchema):
    incident_type = fields.String(required=True, validate=validate.OneOf(INCIDENT_TYPES))
    title = text(200, required=True)
    steps = fields.List(text(500), required=True, validate=validate.Length(min=1, max=50))
    contacts = fields.List(fields.Nested(ProcedureContactSchema), load_default=list, validate=validate.Length(max=20))


class ProcedureQuerySchema(QuerySchema):
    type = fields.String(load_default=None, validate=validate.OneOf(INCIDENT_TYPES))


class ProcedureSchema(Schema):
    id = fields.Integer()
    incident_type = fields.String()
    title = fields.String()
    steps = fields.List(fields.String())
    contacts = fields.List(fields.Dict())
    created_at = fields.DateTime()


# --- inspections -------------------------------------------------------------------------

class InspectionBodySchema(BodySchema):
    title = text(200, required=True)
    site = text(200, required=True)
    temple = optional_text(64)
    due_on = fields.Date(required=True)
    assignee_id = fields.Integer(**USER_ID)
    items = fields.List(text(300), required=True, validate=validate.Length(min=1, max=100))


class CorrectiveActionSpecSchema(BodySchema):
    description = optional_text(2000)
    owner_id = fields.Integer(**USER_ID)
    due_on = fields.Date(load_default=None, allow_none=True)


class ItemResultSchema(BodySchema):
    item_id = fields.Integer(required=True, validate=validate.Range(min=1))
    result = fields.String(required=True, validate=validate.OneOf(ITEM_RESULTS))
    note = optional_text(2000)
    action = fields.Nested(CorrectiveActionSpecSchema, load_default=None, allow_none=True,
                           metadata={"description": "for a failed item: the corrective action's owner and due date"})


class ResultsBodySchema(BodySchema):
    results = fields.List(fields.Nested(ItemResultSchema), required=True, validate=validate.Length(min=1, max=100))


class InspectionQuerySchema(QuerySchema):
    status = fields.String(load_default=None, validate=validate.OneOf(("scheduled", "completed")))
    overdue = fields.Boolean(load_default=None)


class CorrectiveActionQuerySchema(QuerySchema):
    status = fields.String(load_default=None, validate=validate.OneOf(("open", "closed")))


class CorrectiveActionSchema(Schema):
    id = fields.Integer()
    inspection_id = fields.Integer()
    item_id = fields.Integer()
    description = fields.String()
    owner_id = fields.Integer(allow_none=True)
    due_on = fields.Date()
    status = fields.String()
    created_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    closing_note = fields.String(allow_none=True)


class InspectionItemSchema(Schema):
    id = fields.Integer()
    seq = fields.Integer()
    text = fields.String()
    result = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    answered_at = fields.DateTime(allow_none=True)
    corrective_action = fields.Nested(CorrectiveActionSchema, attribute="action", allow_none=True)


class InspectionSummarySchema(Schema):
    id = fields.Integer()
    title = fields.String()
    site = fields.String()
    temple = fields.String(allow_none=True)
    due_on = fields.Date()
    assignee_id = fields.Integer(allow_none=True)
    status = fields.String()
    created_at = fields.DateTime()
    completed_at = fields.DateTime(allow_none=True)


class InspectionSchema(InspectionSummarySchema):
    items = fields.List(fields.Nested(InspectionItemSchema))


class CloseActionBodySchema(BodySchema):
    note = optional_text(2000)


# --- trainings and hazards ---------------------------------------------------------------

class TrainingBodySchema(BodySchema):
    person = text(120, required=True)
    user_id = fields.Integer(**USER_ID)
    course = text(200, required=True)
    provider = optional_text(120)
    completed_on = fields.Date(required=True)
    valid_until = fields.Date(load_default=None, allow_none=True)


class TrainingQuerySchema(QuerySchema):
    person = fields.String(load_default=None, validate=validate.Length(min=1, max=120))
    course = fields.String(load_default=None, validate=validate.Length(min=1, max=200))
    user_id = fields.Integer(load_default=None)


class TrainingSchema(Schema):
    id = fields.Integer()
    person = fields.String()
    user_id = fields.Integer(allow_none=True)
    course = fields.String()
    provider = fields.String(allow_none=True)
    completed_on = fields.Date()
    valid_until = fields.Date(allow_none=True)


class HazardBodySchema(BodySchema):
    title = text(200, required=True)
    location = text(200, required=True)
    temple = optional_text(64)
    likelihood = fields.Integer(required=True, validate=SCORE)
    severity = fields.Integer(required=True, validate=SCORE)
    controls = optional_text(4000)
    owner_id = fields.Integer(**USER_ID)
    review_on = fields.Date(required=True)


class HazardChangeSchema(ChangeSchema):
    title = text(200)
    location = text(200)
    likelihood = fields.Integer(validate=SCORE)
    severity = fields.Integer(validate=SCORE)
    controls = fields.String(allow_none=True, validate=validate.Length(max=4000))
    owner_id = fields.Integer(allow_none=True, validate=validate.Range(min=1))
    review_on = fields.Date()
    status = fields.String(validate=validate.OneOf(("open", "closed")))


class HazardQuerySchema(QuerySchema):
    band = fields.String(load_default=None, validate=validate.OneOf(RISK_BANDS))
    status = fields.String(load_default=None, validate=validate.OneOf(("open", "closed")))


class HazardSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    location = fields.String()
    temple = fields.String(allow_none=True)
    likelihood = fields.Integer()
    severity = fields.Integer()
    risk_score = fields.Integer()
    band = fields.String()
    controls = fields.String(allow_none=True)
    owner_id = fields.Integer(allow_none=True)
    review_on = fields.Date()
    status = fields.String()
    updated_at = fields.DateTime()


class ComplianceSchema(Schema):
    as_of = fields.Date()
    overdue_inspections = fields.List(fields.Nested(InspectionSummarySchema))
    open_corrective_actions = fields.List(fields.Nested(CorrectiveActionSchema))
    expired_trainings = fields.List(fields.Nested(TrainingSchema))
    expiring_trainings = fields.List(fields.Nested(TrainingSchema))
    open_high_risks = fields.List(fields.Nested(HazardSchema))
    hazards_past_review = fields.List(fields.Nested(HazardSchema))
    summary = fields.Dict(keys=fields.String(), values=fields.Integer())
