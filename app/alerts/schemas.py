"""Alert schemas."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

from app.core.schemas import BodySchema, QuerySchema, Schema

SCOPES = ("city", "temple", "zone")
SEVERITIES = ("info", "warning", "critical")


class AlertSchema(Schema):
    id = fields.Integer()
    scope = fields.String()
    temple_id = fields.Integer(allow_none=True)
    temple = fields.String(allow_none=True)
    zone = fields.String(allow_none=True)
    severity = fields.String()
    title = fields.String()
    message = fields.String()
    source = fields.String(allow_none=True)
    created_by = fields.Integer(allow_none=True, metadata={"description": "the user who raised it"})
    created_by_label = fields.String(allow_none=True, metadata={"description": "who raised it (e-mail, device)"})
    status = fields.String()
    active = fields.Boolean()
    created_at = fields.DateTime()
    expires_at = fields.DateTime(allow_none=True)
    cancelled_at = fields.DateTime(allow_none=True)


class AlertCreateSchema(BodySchema):
    scope = fields.String(required=True, validate=validate.OneOf(SCOPES))
    temple_id = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1))
    temple = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=64))
    zone = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=64))
    severity = fields.String(required=True, validate=validate.OneOf(SEVERITIES))
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    message = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    expires_at = fields.AwareDateTime(load_default=None, allow_none=True)

    @validates_schema
    def _scope_needs_place(self, data, **_kwargs):
        has_temple = data.get("temple_id") is not None or data.get("temple")
        if data["scope"] in ("temple", "zone") and not has_temple:
            raise ValidationError("A temple or zone alert needs `temple` (slug) or `temple_id`.", "temple")
        if data["scope"] == "zone" and not data.get("zone"):
            raise ValidationError("A zone alert needs `zone`.", "zone")
        if data["scope"] == "city" and (has_temple or data.get("zone")):
            raise ValidationError("A city alert names no temple or zone.", "scope")


class AlertQuerySchema(QuerySchema):
    active = fields.Boolean(load_default=None)
    temple = fields.String(load_default=None, validate=validate.Length(max=64))
    temple_id = fields.Integer(load_default=None)
    severity = fields.String(load_default=None, validate=validate.OneOf(SEVERITIES))
