"""Alerts endpoints (API.md "alerts")."""

from __future__ import annotations

from app.alerts import schemas as s
from app.alerts import service
from app.core.idempotency import idempotent
from app.core.pagination import PAGINATION, page_of, paginate
from app.core.parsing import Blueprint
from app.core.security import OPERATOR, SAFETY_OFFICER, roles_required

blp = Blueprint("alerts", __name__, url_prefix="/api/v1", description="Alerts for the city, a temple or a zone")


@blp.route("/alerts", methods=["POST"])
@roles_required(OPERATOR, SAFETY_OFFICER)
@idempotent
@blp.arguments(s.AlertCreateSchema)
@blp.response(201, s.AlertSchema)
def create_alert(data):
    """Raise an alert; it is broadcast on the `alerts` channel (critical ones are also notified)."""
    return service.create_alert(**data)


@blp.route("/alerts", methods=["GET"])
@blp.arguments(s.AlertQuerySchema, location="query")
@blp.response(200, s.AlertSchema(many=True))
@blp.paginate(**PAGINATION)
def list_alerts(query, pagination_parameters):
    """List alerts, newest first: `active=true` for those in force, `active=false` for history (public)."""
    if query["active"] is True:
        active = service.active_alert_views(temple=query["temple"], temple_id=query["temple_id"],
                                            severity=query["severity"])
        return page_of(active, pagination_parameters)
    return paginate(service.list_alerts(**query), pagination_parameters)


@blp.route("/alerts/<int:alert_id>/cancel", methods=["POST"])
@roles_required(OPERATOR, SAFETY_OFFICER)
@blp.response(200, s.AlertSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def cancel_alert(alert_id):
    """Cancel an alert."""
    return service.cancel_alert(alert_id=alert_id)
