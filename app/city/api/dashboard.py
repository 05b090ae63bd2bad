"""The overview screen's one call."""

from __future__ import annotations

from app.city import service
from app.city.api.blueprint import blp
from app.core.security import OPERATOR, SAFETY_OFFICER, roles_required


@blp.route("/dashboard", methods=["GET"])
@roles_required(OPERATOR, SAFETY_OFFICER)
@blp.response(200)
def dashboard():
    """KPIs across every domain, the alert summary, the week against the one before, and the city now."""
    return service.dashboard()
