"""The two blueprints: the domain's own prefix, and API.md's ``/visits/{code}/…`` paths without it."""

from flask_smorest import Blueprint

visitors_blp = Blueprint("visitors", __name__, url_prefix="/api/v1/visitors",
                         description="Visitors: invitations, passes, on-site roll-call, block list, cards, faces")
visits_blp = Blueprint("visits", __name__, url_prefix="/api/v1/visits",
                       description="A visit's pass at reception: check in, check out, revoke, printable PDF")
