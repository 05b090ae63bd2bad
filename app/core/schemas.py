"""Schema bases shared by every domain."""

from __future__ import annotations

from marshmallow import EXCLUDE, RAISE, Schema, fields, validate


class BodySchema(Schema):
    """Request bodies: unknown fields are refused with a clear message."""

    class Meta:
        unknown = RAISE


class QuerySchema(Schema):
    """Query strings: unknown parameters are ignored (caches, trackers add their own)."""

    class Meta:
        unknown = EXCLUDE


class ErrorSchema(Schema):
    """The one error shape (see API.md "Errors")."""

    code = fields.Integer(required=True, metadata={"example": 409})
    status = fields.String(required=True, metadata={"example": "Conflict"})
    error = fields.String(required=True, metadata={"example": "slot_full"})
    message = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.Raw(),
                         metadata={"description": "field messages (422 only)"})


def trimmed(max_len: int, min_len: int = 1, **kwargs) -> fields.String:
    """A required-ish text field with length limits (spaces around are not counted)."""
    return fields.String(validate=validate.Length(min=min_len, max=max_len), **kwargs)


Money = fields.Decimal(places=2, as_string=True)
