"""Auth request and response schemas."""

from __future__ import annotations

from marshmallow import fields, validate

from app.core.schemas import BodySchema, ChangeSchema, QuerySchema, Schema
from app.core.security import ROLES

PHONE = validate.Regexp(r"^\+?[0-9 ()-]{6,20}$", error="Enter a phone number of 6–20 digits, optionally with +.")
NAME = validate.Length(min=1, max=120)
DEVICE_KINDS = ("sensor", "sign", "counter", "shuttle", "tracker")  # tracker: a safety unit's GPS


class UserSchema(Schema):
    id = fields.Integer(dump_only=True)
    email = fields.Email()
    full_name = fields.String()
    phone = fields.String(allow_none=True)
    role = fields.String()
    is_active = fields.Boolean()
    reminders = fields.Boolean()
    created_at = fields.DateTime()


class RegisterSchema(BodySchema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=128),
                             metadata={"minLength": 10, "description": "10+ characters with a letter and a digit"})
    full_name = fields.String(required=True, validate=NAME)
    phone = fields.String(load_default=None, allow_none=True, validate=PHONE)


class StaffCreateSchema(RegisterSchema):
    role = fields.String(required=True, validate=validate.OneOf(ROLES))


class LoginSchema(BodySchema):
    email = fields.String(required=True, validate=validate.Length(min=1, max=254))
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=128))


class TokenPairSchema(Schema):
    access_token = fields.String()
    refresh_token = fields.String()


class LoginResultSchema(TokenPairSchema):
    user = fields.Nested(UserSchema)


class ProfileUpdateSchema(ChangeSchema):
    full_name = fields.String(validate=NAME)
    phone = fields.String(allow_none=True, validate=PHONE)
    reminders = fields.Boolean(metadata={"description": "receive parking/booking reminders"})


class PasswordChangeSchema(BodySchema):
    current_password = fields.String(required=True, validate=validate.Length(min=1, max=128))
    new_password = fields.String(required=True, validate=validate.Length(min=1, max=128),
                                 metadata={"minLength": 10, "description": "10+ characters with a letter and a digit"})


class UserUpdateSchema(ChangeSchema):
    role = fields.String(validate=validate.OneOf(ROLES))
    is_active = fields.Boolean()
    full_name = fields.String(validate=NAME)
    phone = fields.String(allow_none=True, validate=PHONE)


class UserQuerySchema(QuerySchema):
    role = fields.String(validate=validate.OneOf(ROLES))
    active = fields.Boolean()
    q = fields.String(validate=validate.Length(max=100))


class DeviceCreateSchema(BodySchema):
    name = fields.String(required=True, validate=NAME)
    kind = fields.String(required=True, validate=validate.OneOf(DEVICE_KINDS))


class DeviceSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    kind = fields.String()
    key_prefix = fields.String(metadata={"description": "first characters of the key, to tell keys apart"})
    created_at = fields.DateTime()
    last_seen_at = fields.DateTime(allow_none=True)


class DeviceCreatedSchema(DeviceSchema):
    key = fields.String(metadata={"description": "the device key: shown this once only"})


class SessionSchema(Schema):
    id = fields.Integer()
    user_id = fields.Integer()
    device = fields.String(attribute="user_agent", allow_none=True, metadata={"description": "the client's User-Agent"})
    address = fields.String(attribute="ip", allow_none=True)
    created_at = fields.DateTime()
    last_used_at = fields.DateTime()
    expires_at = fields.DateTime()


class SessionQuerySchema(QuerySchema):
    user_id = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1),
                             metadata={"description": "admins: another user's sessions"})
