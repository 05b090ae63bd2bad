"""Audit log schemas."""

from __future__ import annotations

from marshmallow import fields, validate

from app.core.schemas import QuerySchema, Schema


class AuditEntrySchema(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    actor_kind = fields.String()
    actor_id = fields.Integer(allow_none=True)
    actor_label = fields.String(allow_none=True)
    action = fields.String()
    entity = fields.String()
    entity_id = fields.String(allow_none=True)
    event = fields.String()
    changes = fields.Dict(allow_none=True)
    request_id = fields.String(allow_none=True)
    ip = fields.String(allow_none=True)


class AuditQuerySchema(QuerySchema):
    actor_id = fields.Integer(load_default=None)
    actor_kind = fields.String(load_default=None, validate=validate.OneOf(("user", "device", "system", "anonymous")))
    entity = fields.String(load_default=None, validate=validate.Length(max=40))
    entity_id = fields.String(load_default=None, validate=validate.Length(max=64))
    action = fields.String(load_default=None, validate=validate.Length(max=40))
    since = fields.AwareDateTime(load_default=None, data_key="from")
    until = fields.AwareDateTime(load_default=None, data_key="to")
