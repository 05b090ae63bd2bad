"""GET /api/v1/audit: the audit trail for admins (CR-6)."""

from __future__ import annotations

from flask_smorest import Blueprint

from app.audit.schemas import AuditEntrySchema, AuditQuerySchema
from app.core.audit import audit_query
from app.core.pagination import PAGINATION, paginate
from app.core.security import ADMIN, roles_required

blp = Blueprint("audit", __name__, url_prefix="/api/v1", description="Audit trail of every change")


@blp.route("/audit", methods=["GET"])
@roles_required(ADMIN)
@blp.arguments(AuditQuerySchema, location="query")
@blp.response(200, AuditEntrySchema(many=True))
@blp.paginate(**PAGINATION)
def list_audit(query, pagination_parameters):
    """List audit entries, newest first, filtered by actor, entity, action and time (`from`, `to`)."""
    return paginate(audit_query(**query), pagination_parameters)
