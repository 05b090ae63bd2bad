"""Schema bases shared by every domain."""

from __future__ import annotations

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, pre_load, validate, validates_schema


class BodySchema(Schema):
    """Request bodies: unknown fields are refused with a clear message; JSON types are strict.

    An integer field takes 3, not 2.5 nor "3"; a boolean takes true/false, not 0 nor "yes".
    (Query strings, being text, keep marshmallow's lenient parsing.)
    """

    class Meta:
        unknown = RAISE

    def on_bind_field(self, field_name: str, field_obj: fields.Field) -> None:
        if isinstance(field_obj, fields.Integer):
            field_obj.strict = True

    @pre_load
    def _json_booleans(self, data, **_kwargs):
        if not isinstance(data, dict):
            return data
        wrong = {}
        for name, field in self.load_fields.items():
            key = field.data_key or name
            if isinstance(field, fields.Boolean) and key in data and not isinstance(data[key], bool) \
                    and not (field.allow_none and data[key] is None):
                wrong[key] = ["Not a valid boolean: use true or false."]
        if wrong:
            raise ValidationError(wrong)
        return data


class ChangeSchema(BodySchema):
    """PATCH bodies: every field is optional, but a change must name at least one."""

    @validates_schema
    def _not_empty(self, data, **_kwargs):
        if not data:
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


class TrimmedString(fields.String):
    """Text with the spaces around it removed before it is validated (``"   "`` is empty)."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


def trimmed(max_len: int, min_len: int = 1, **kwargs) -> fields.String:
    """A text field with length limits; the spaces around it are removed and not counted."""
    return TrimmedString(validate=validate.Length(min=min_len, max=max_len), **kwargs)


class MoneyField(fields.Decimal):
    """INR amounts as exact two-place strings ("120.00"); documented in OpenAPI as such (see app.core.docs)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("places", 2)
        kwargs.setdefault("as_string", True)
        kwargs.setdefault("metadata", {"pattern": r"^-?[0-9]+\.[0-9]{2}$", "example": "120.00"})
        super().__init__(**kwargs)


def Money(**kwargs) -> MoneyField:  # noqa: N802 - reads like a field class
    return MoneyField(**kwargs)
