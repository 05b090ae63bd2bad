"""Schema bases shared by every domain."""

from __future__ import annotations

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate, validates_schema


class BodySchema(Schema):
    """Request bodies: unknown fields are refused with a clear message; JSON integers must be integers."""

    class Meta:
        unknown = RAISE

    def on_bind_field(self, field_name: str, field_obj: fields.Field) -> None:
        # In JSON an integer field takes 3, not 2.5 nor "3" (query strings, being text, are not strict).
        if isinstance(field_obj, fields.Integer):
            field_obj.strict = True


class ChangeSchema(BodySchema):
    """PATCH bodies: every field is optional, but a change must name at least one."""

    @validates_schema(pass_original=True)
    def _not_empty(self, data, original, **_kwargs):
        if not data and not original:
            raise ValidationError("Give at least one field to change.", "_schema")


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


class MoneyField(fields.Decimal):
    """INR amounts as exact two-place strings ("120.00"); documented in OpenAPI as such (see app.core.docs)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("places", 2)
        kwargs.setdefault("as_string", True)
        kwargs.setdefault("metadata", {"pattern": r"^-?[0-9]+\.[0-9]{2}$", "example": "120.00"})
        super().__init__(**kwargs)


def Money(**kwargs) -> MoneyField:  # noqa: N802 - reads like a field class
    return MoneyField(**kwargs)
