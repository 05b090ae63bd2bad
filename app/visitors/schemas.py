"""Request and response shapes of the visitors API (API.md "visitors")."""

from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.core.schemas import BodySchema, QuerySchema
from app.visitors.models import ID_TYPES, VISIT_STATUSES

PHONE = {"example": "+91 98765 43210"}


class Words(fields.String):
    """Text with runs of white space collapsed and none around it, checked for length afterwards ("   " is empty)."""

    def _deserialize(self, value, attr, data, **kwargs):
        return " ".join(super()._deserialize(value, attr, data, **kwargs).split())


def trimmed(max_len: int, min_len: int = 1, **kwargs) -> Words:
    return Words(validate=validate.Length(min=min_len, max=max_len), **kwargs)


class VisitorInputSchema(BodySchema):
    name = trimmed(120, 2, required=True)
    phone = fields.String(required=True, validate=validate.Length(min=4, max=25), metadata=PHONE)
    email = fields.Email(load_default=None, allow_none=True, validate=validate.Length(max=254))
    id_type = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(ID_TYPES))
    id_number = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=4, max=40),
                              metadata={"description": "stored only as a keyed hash and its last four characters"})

    @validates_schema
    def _type_needs_number(self, data, **_kwargs):
        if data.get("id_type") and not data.get("id_number"):
            raise ValidationError("Give the id_number for this id_type.", "id_number")


class VisitInputSchema(BodySchema):
    visitor = fields.Nested(VisitorInputSchema, required=True)
    host_id = fields.Integer(required=True, validate=validate.Range(min=1))
    purpose = trimmed(200, 2, required=True)
    expected_at = fields.AwareDateTime(required=True, metadata={"example": "2026-03-09T11:00:00+05:30"})
    valid_hours = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=1),
        metadata={"description": "hours the pass stays valid after expected_at (default 8, at most 72: "
                                 "VISIT_DEFAULT_HOURS, VISIT_MAX_HOURS)"})


class PassTokenSchema(BodySchema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class VisitRevokeSchema(BodySchema):
    reason = Words(load_default=None, allow_none=True, validate=validate.Length(max=200))


class PassQuerySchema(QuerySchema):
    token = fields.String(load_default=None, metadata={"description": "the pass token: opens the PDF without a login"})


class VisitQuerySchema(QuerySchema):
    date = fields.Date(load_default=None, metadata={"description": "expected on this date (city time)"})
    status = fields.String(load_default=None, validate=validate.OneOf(VISIT_STATUSES))
    host = fields.Integer(load_default=None, validate=validate.Range(min=1),
                          metadata={"description": "host's user id (reception; hosts always see their own)"})


class VisitorPersonSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    phone = fields.String()
    email = fields.String(allow_none=True)
    id_type = fields.String(allow_none=True)
    id_last4 = fields.String(allow_none=True)


class VisitVisitorSchema(Schema):
    person_id = fields.Integer()
    name = fields.String()
    phone = fields.String()
    email = fields.String(allow_none=True)
    id_type = fields.String(allow_none=True)
    id_last4 = fields.String(allow_none=True)


class VisitHostSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    email = fields.String()
    phone = fields.String(allow_none=True)


class VisitSchema(Schema):
    code = fields.String(metadata={"example": "VIS-7K3Q9X"})
    status = fields.String(metadata={"enum": list(VISIT_STATUSES)})
    token = fields.String(metadata={"description": "the signed token the pass's QR code carries"})
    pass_url = fields.String(metadata={"description": "the pass PDF, opened with the token (sent to the visitor)"})
    visitor = fields.Nested(VisitVisitorSchema)
    host = fields.Nested(VisitHostSchema)
    purpose = fields.String()
    expected_at = fields.AwareDateTime()
    valid_from = fields.AwareDateTime()
    valid_until = fields.AwareDateTime()
    checked_in_at = fields.AwareDateTime(allow_none=True)
    checked_out_at = fields.AwareDateTime(allow_none=True)
    revoked_at = fields.AwareDateTime(allow_none=True)
    revoke_reason = fields.String(allow_none=True)
    overstaying = fields.Boolean(metadata={"description": "still inside after the pass ended"})
    created_at = fields.AwareDateTime()


class VisitorPeopleQuerySchema(QuerySchema):
    q = fields.String(load_default=None, validate=validate.Length(max=120))
    phone = fields.String(load_default=None, validate=validate.Length(max=25))


class VisitorBlockInputSchema(BodySchema):
    person_id = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1))
    phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=4, max=25), metadata=PHONE)
    id_type = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(ID_TYPES))
    id_number = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=4, max=40))
    name = Words(load_default=None, allow_none=True, validate=validate.Length(max=120))
    reason = trimmed(300, 3, required=True)


class VisitorBlockTargetSchema(BodySchema):
    person_id = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1))
    phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=4, max=25))
    id_number = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=4, max=40))


class VisitorBlockSchema(Schema):
    id = fields.Integer()
    phone = fields.String(allow_none=True)
    id_type = fields.String(allow_none=True)
    id_last4 = fields.String(allow_none=True)
    name = fields.String(allow_none=True)
    reason = fields.String()
    created_at = fields.AwareDateTime()
    created_by_id = fields.Integer(allow_none=True)
    lifted_at = fields.AwareDateTime(allow_none=True)


class VisitorCardInputSchema(BodySchema):
    number = fields.String(required=True, validate=validate.Length(min=1, max=64), metadata={"example": "04:A2:24:1B"})
    person_id = fields.Integer(required=True, validate=validate.Range(min=1))


class VisitorCardNumberSchema(BodySchema):
    number = fields.String(required=True, validate=validate.Length(min=1, max=64))


class VisitorCardSchema(Schema):
    number = fields.String()
    person_id = fields.Integer()
    assigned_at = fields.AwareDateTime()


class VisitorCardHolderSchema(Schema):
    number = fields.String()
    assigned_at = fields.AwareDateTime()
    person = fields.Nested(VisitorPersonSchema)
    blocked = fields.Boolean()
    face_enrolled = fields.Boolean()
    visits = fields.Nested(VisitSchema, many=True, metadata={"description": "on site or still expected"})


class FaceImageSchema(Schema):
    """A multipart form with a photo (read into memory only, never stored)."""

    image = Upload(required=True, metadata={"description": "a JPEG, PNG or WebP photo of one face"})


class FaceEnrolFormSchema(FaceImageSchema):
    consent = fields.Boolean(required=True, metadata={"description": "true: the person has agreed to enrolment"})


class FaceVerifyFormSchema(FaceImageSchema):
    person_id = fields.Integer(required=True, validate=validate.Range(min=1))


class EnrolmentSchema(Schema):
    enrolled = fields.Boolean()
    person_id = fields.Integer()
    quality = fields.Float(metadata={"description": "0..1: detector confidence × face size"})
    model = fields.String()
    consent_at = fields.AwareDateTime()
    enrolled_at = fields.AwareDateTime()


class VerificationSchema(Schema):
    match = fields.Boolean()
    distance = fields.Float()
    threshold = fields.Float()
    person_id = fields.Integer()


class FaceCandidateSchema(Schema):
    person_id = fields.Integer()
    name = fields.String()
    distance = fields.Float()


class IdentificationSchema(Schema):
    candidates = fields.Nested(FaceCandidateSchema, many=True)
    threshold = fields.Float()


class BiometricStatsQuerySchema(QuerySchema):
    date_from = fields.Date(load_default=None)
    date_to = fields.Date(load_default=None)


class BiometricDaySchema(Schema):
    date = fields.Date()
    verifications = fields.Integer()
    identifications = fields.Integer()


class BiometricStatsSchema(Schema):
    enrolled = fields.Integer()
    date_from = fields.Date()
    date_to = fields.Date()
    days = fields.Nested(BiometricDaySchema, many=True)
    verifications = fields.Integer()
    identifications = fields.Integer()
    matches = fields.Integer()
    match_rate = fields.Float(allow_none=True)
    mean_latency_ms = fields.Float(allow_none=True)
    threshold = fields.Float()
    model = fields.String()
    available = fields.Boolean()
