"""Signs endpoints under /api/v1/city/signs (API.md "signs"): signs, templates, messages, overrides,
attendee submissions, subscribers and SMS/voice notices."""

from __future__ import annotations

from flask import current_app

from app.core.idempotency import idempotent
from app.core.pagination import PAGINATION, page_of, paginate
from app.core.parsing import Blueprint
from app.core.security import OPERATOR, SAFETY_OFFICER, roles_required
from app.extensions import limiter
from app.signs import schemas as s
from app.signs import service

blp = Blueprint("signs", __name__, url_prefix="/api/v1/city/signs",
                description="Festival signs: live state, templates, messages, overrides, submissions (CA-*)")


def submission_limit() -> str:
    """The public forms' rate limit (SIGNS_SUBMISSION_RATE), per client address."""
    return current_app.config["SIGNS_SUBMISSION_RATE"]


# --- signs -------------------------------------------------------------------------------------

@blp.route("", methods=["GET"])
@roles_required(OPERATOR)
@blp.arguments(s.SignQuerySchema, location="query")
@blp.response(200, s.SignSchema(many=True))
@blp.paginate(**PAGINATION)
def list_signs(query, pagination_parameters):
    """List signs with their state, last heartbeat and what they show (paginated)."""
    return page_of(service.list_signs(**query), pagination_parameters)


@blp.route("", methods=["POST"])
@roles_required(OPERATOR)
@idempotent
@blp.arguments(s.SignCreateSchema)
@blp.response(201, s.SignCreatedSchema)
def create_sign(data):
    """Register a sign (a device of kind `sign`); the answer holds its device key, shown this once only."""
    view, key = service.register_sign(**data)
    return {**view, "key": key}


@blp.route("/<int:sign_id>", methods=["GET"])
@roles_required(OPERATOR)
@blp.response(200, s.SignSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get_sign(sign_id):
    """Return one sign."""
    return service.sign_detail(sign_id=sign_id)


@blp.route("/<int:sign_id>", methods=["PATCH"])
@roles_required(OPERATOR)
@blp.arguments(s.SignChangeSchema)
@blp.response(200, s.SignSchema)
@blp.alt_response(404, response="NOT_FOUND")
def update_sign(data, sign_id):
    """Change a sign's name, place, zone or group."""
    return service.update_sign(sign_id=sign_id, values=data)


@blp.route("/<int:sign_id>/key", methods=["POST"])
@roles_required(OPERATOR)
@blp.response(201, s.SignCreatedSchema)
@blp.alt_response(404, response="NOT_FOUND")
def new_key(sign_id):
    """Issue a new device key for a sign (shown once); the old key stops working and its connection closes."""
    view, key = service.issue_new_key(sign_id=sign_id)
    return {**view, "key": key}


@blp.route("/<int:sign_id>/request-status", methods=["POST"])
@roles_required(OPERATOR)
@blp.response(202, s.SignSchema)
@blp.alt_response(404, response="NOT_FOUND")
def request_status(sign_id):
    """Ask a sign for an immediate heartbeat (`request_status`)."""
    return service.ask_sign(sign_id=sign_id, what="request_status")


@blp.route("/<int:sign_id>/ping", methods=["POST"])
@roles_required(OPERATOR)
@blp.response(202, s.SignSchema)
@blp.alt_response(404, response="NOT_FOUND")
def ping(sign_id):
    """Ping a sign (`ping`; a live sign answers with a heartbeat)."""
    return service.ask_sign(sign_id=sign_id, what="ping")


@blp.route("/<int:sign_id>/samples", methods=["GET"])
@roles_required(OPERATOR)
@blp.arguments(s.SampleQuerySchema, location="query")
@blp.response(200, s.SampleSchema(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def samples(query, sign_id):
    """A sign's sampled heartbeats (battery, signal, crowd), oldest first."""
    return service.sign_samples(sign_id=sign_id, **query)


# --- templates and messages ------------------------------------------------------------------------

@blp.route("/templates", methods=["GET"])
@roles_required(OPERATOR)
@blp.response(200, s.TemplateSchema(many=True))
def list_templates():
    """List the templates (the 17 defaults first) with their placeholders."""
    return service.list_templates()


@blp.route("/templates", methods=["POST"])
@roles_required(OPERATOR)
@idempotent
@blp.arguments(s.TemplateCreateSchema)
@blp.response(201, s.TemplateSchema)
@blp.alt_response(409, response="CONFLICT")
def create_template(data):
    """Add a template (`{placeholders}` filled from a message's `params`; translations optional)."""
    return service.create_template(**data)


@blp.route("/messages", methods=["POST"])
@roles_required(OPERATOR)
@idempotent
@blp.arguments(s.MessageCreateSchema)
@blp.response(201, s.MessageSchema)
def send_message(data):
    """Send a message to the target signs, now or from `starts_at` until `expires_at`."""
    return service.send_message(**data)


@blp.route("/messages", methods=["GET"])
@roles_required(OPERATOR)
@blp.response(200, s.MessageSchema(many=True))
@blp.paginate(**PAGINATION)
def list_messages(pagination_parameters):
    """Recent messages, newest first, with delivery figures."""
    return page_of(service.list_messages(), pagination_parameters)


@blp.route("/messages/<int:message_id>", methods=["GET"])
@roles_required(OPERATOR)
@blp.response(200, s.MessageSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get_message(message_id):
    """A message with each sign's delivery and acknowledgement."""
    return service.message_detail(message_id=message_id)


# --- overrides -----------------------------------------------------------------------------------

@blp.route("/overrides", methods=["POST"])
@roles_required(OPERATOR, SAFETY_OFFICER)
@idempotent
@blp.arguments(s.OverrideCreateSchema)
@blp.response(201, s.OverrideSchema)
def create_override(data):
    """Put a full-screen override on the target signs until cancelled or `expires_at` (auto-revert)."""
    return service.create_override(**data)


@blp.route("/overrides", methods=["GET"])
@roles_required(OPERATOR, SAFETY_OFFICER)
@blp.arguments(s.OverrideQuerySchema, location="query")
@blp.response(200, s.OverrideSchema(many=True))
@blp.paginate(**PAGINATION)
def list_overrides(query, pagination_parameters):
    """Recent overrides (`status=proposed` for the playbook's proposals), newest first."""
    return page_of(service.list_overrides(**query), pagination_parameters)


@blp.route("/overrides/<int:override_id>", methods=["GET"])
@roles_required(OPERATOR, SAFETY_OFFICER)
@blp.response(200, s.OverrideSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get_override(override_id):
    """An override with each sign's delivery and acknowledgement (`flagged`: not acknowledged in time)."""
    return service.override_detail(override_id=override_id)


@blp.route("/overrides/<int:override_id>/cancel", methods=["POST"])
@roles_required(OPERATOR, SAFETY_OFFICER)
@blp.response(200, s.OverrideSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="`invalid_transition`: it has already ended")
def cancel_override(override_id):
    """End an override (or reject a proposal); its signs go back to what they showed."""
    return service.cancel_override(override_id=override_id)


@blp.route("/overrides/<int:override_id>/approve", methods=["POST"])
@roles_required(OPERATOR, SAFETY_OFFICER)
@blp.response(200, s.OverrideSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="`invalid_transition`: not a pending proposal")
def approve_override(override_id):
    """Apply a proposed override (the crowd playbook's) with one click."""
    return service.approve_override(override_id=override_id)


# --- attendee submissions, subscribers, notices ----------------------------------------------------

@blp.route("/submissions", methods=["POST"])
@limiter.limit(submission_limit)
@idempotent
@blp.arguments(s.SubmissionCreateSchema)
@blp.response(201, s.PublicSubmissionSchema)
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
def submit(data):
    """Send a lost/found/meet-up note (public, rate limited); it shows on signs once an operator approves it."""
    return service.submit(**data)


@blp.route("/submissions", methods=["GET"])
@roles_required(OPERATOR)
@blp.arguments(s.SubmissionQuerySchema, location="query")
@blp.response(200, s.SubmissionSchema(many=True))
@blp.paginate(**PAGINATION)
def list_submissions(query, pagination_parameters):
    """Submissions to moderate (`status=pending`), oldest first."""
    return paginate(service.list_submissions(**query), pagination_parameters)


@blp.route("/submissions/<int:submission_id>/approve", methods=["POST"])
@roles_required(OPERATOR)
@blp.arguments(s.ApproveSchema)
@blp.response(200, s.SubmissionSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="`invalid_transition`: already moderated")
def approve_submission(data, submission_id):
    """Approve a submission: it becomes a message on the signs of its zone (or the `zone` given)."""
    return service.approve(submission_id=submission_id, **data)


@blp.route("/submissions/<int:submission_id>/reject", methods=["POST"])
@roles_required(OPERATOR)
@blp.arguments(s.RejectSchema)
@blp.response(200, s.SubmissionSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="`invalid_transition`: already moderated")
def reject_submission(data, submission_id):
    """Reject a submission, keeping the reason."""
    return service.reject(submission_id=submission_id, **data)


@blp.route("/subscribers", methods=["POST"])
@limiter.limit(submission_limit)
@blp.arguments(s.SubscriberCreateSchema)
@blp.response(201, s.SubscriberSchema)
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
def subscribe(data):
    """Subscribe a phone number to a zone's SMS/voice notices (public, rate limited)."""
    return service.subscribe_phone(**data)


@blp.route("/subscribers/unsubscribe", methods=["POST"])
@limiter.limit(submission_limit)
@blp.arguments(s.SubscriberCreateSchema)
@blp.response(204)
def unsubscribe(data):
    """Stop a zone's notices to a phone number (public, rate limited)."""
    service.unsubscribe_phone(**data)


@blp.route("/notify", methods=["POST"])
@roles_required(OPERATOR)
@idempotent
@blp.arguments(s.NotifySchema)
@blp.response(201, s.NoticeSchema)
@blp.alt_response(503, response="SERVICE_UNAVAILABLE", description="`channel_unavailable`")
def notify(data):
    """Send an SMS or place a voice call to a list of numbers or to a zone's subscribers (once each)."""
    return service.send_notice(**data)
