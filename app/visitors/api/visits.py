"""Visit endpoints: invite, validate, history, roll-call (``/visitors``); check-in/out and the PDF (``/visits``)."""

from __future__ import annotations

from flask import Response
from flask_jwt_extended import get_current_user

from app.core.idempotency import idempotent
from app.core.pagination import PAGINATION
from app.core.security import RECEPTION, SAFETY_OFFICER, login_required, optional_user, roles_required
from app.visitors import schemas as s
from app.visitors import service
from app.visitors.api.blueprints import visitors_blp as blp
from app.visitors.api.blueprints import visits_blp


@blp.route("/visits", methods=["POST"])
@login_required
@idempotent
@blp.arguments(s.VisitInputSchema)
@blp.response(201, s.VisitSchema)
@blp.alt_response(403, response="FORBIDDEN")
@blp.alt_response(409, response="CONFLICT", description="`visitor_blocked`")
def invite_visitor(data):
    """Invite a visitor (reception for any host; anyone else as the host): the pass goes out by e-mail and SMS."""
    return service.invite_visitor(actor=get_current_user(), **data)


@blp.route("/visits", methods=["GET"])
@login_required
@blp.arguments(s.VisitQuerySchema, location="query")
@blp.response(200, s.VisitSchema(many=True))
@blp.paginate(**PAGINATION)
def visit_history(query, pagination_parameters):
    """Visit history by `date` (city time), `status` and `host`, newest first; hosts see only their own."""
    return service.visit_history_page(actor=get_current_user(), pagination_parameters=pagination_parameters,
                                      day=query["date"], status=query["status"], host_id=query["host"])


@blp.route("/visits/validate", methods=["POST"])
@roles_required(RECEPTION)
@blp.arguments(s.PassTokenSchema)
@blp.response(200, s.VisitSchema)
@blp.alt_response(400, response="BAD_REQUEST", description="`invalid_token`; `errors.reason`: unknown, revoked, "
                                                            "used, blocked, not_yet_valid or expired")
def validate_pass(data):
    """Check a scanned pass: the visit, or 400 invalid_token with the reason it cannot be used now."""
    return service.validate_pass(token=data["token"])


@blp.route("/visits/<code:code>", methods=["GET"])
@login_required
@blp.response(200, s.VisitSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get_visit(code):
    """One visit (reception: any; a host: their own)."""
    return service.get_visit(actor=get_current_user(), code=code)


@blp.route("/on-site", methods=["GET"])
@roles_required(RECEPTION, SAFETY_OFFICER)
@blp.response(200, s.VisitSchema(many=True))
def on_site():
    """Who is inside now, longest first, with their hosts: the fire roll-call."""
    return service.on_site()


@blp.route("/expected-today", methods=["GET"])
@roles_required(RECEPTION)
@blp.response(200, s.VisitSchema(many=True))
def expected_today():
    """Visitors still expected whose pass is valid now or opens later today (city time): the desk list."""
    return service.expected_today()


@visits_blp.route("/<code:code>/check-in", methods=["POST"])
@roles_required(RECEPTION)
@visits_blp.response(200, s.VisitSchema)
@visits_blp.alt_response(400, response="BAD_REQUEST", description="`invalid_token`: blocked, not yet valid, expired")
@visits_blp.alt_response(404, response="NOT_FOUND")
@visits_blp.alt_response(409, response="CONFLICT", description="`invalid_transition`")
def check_in(code):
    """Check the visitor in; their host is told at once (e-mail, SMS, chat)."""
    return service.check_in(code=code)


@visits_blp.route("/<code:code>/check-out", methods=["POST"])
@roles_required(RECEPTION)
@visits_blp.response(200, s.VisitSchema)
@visits_blp.alt_response(404, response="NOT_FOUND")
@visits_blp.alt_response(409, response="CONFLICT", description="`invalid_transition`")
def check_out(code):
    """Record that the visitor has left."""
    return service.check_out(code=code)


@visits_blp.route("/<code:code>/revoke", methods=["POST"])
@login_required
@visits_blp.arguments(s.VisitRevokeSchema)
@visits_blp.response(200, s.VisitSchema)
@visits_blp.alt_response(404, response="NOT_FOUND")
@visits_blp.alt_response(409, response="CONFLICT", description="`invalid_transition`")
def revoke_visit(data, code):
    """Cancel an unused invitation (host or reception): its pass stops working at once."""
    return service.revoke_visit(actor=get_current_user(), code=code, **data)


@visits_blp.route("/<code:code>/pass.pdf", methods=["GET"])
@visits_blp.arguments(s.PassQuerySchema, location="query")
@visits_blp.response(200, description="the printable pass (PDF): QR of the signed token, no photo")
@visits_blp.alt_response(400, response="BAD_REQUEST")
@visits_blp.alt_response(401, response="UNAUTHORIZED")
@visits_blp.alt_response(404, response="NOT_FOUND")
@visits_blp.doc(security=[{"bearerAuth": []}, {}])
def pass_pdf(query, code):
    """The printable pass: for reception or the host, or for whoever holds the pass link (`?token=`)."""
    actor = None if query["token"] else optional_user()
    filename, pdf = service.pass_document(code=code, actor=actor, token=query["token"])
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{filename}"'})
