"""The visitors blueprints: the domain's prefix, API.md's ``/visits/{code}/…`` paths without it, and photo uploads."""

from werkzeug.datastructures import CombinedMultiDict

from app.core.parsing import Blueprint, SangamParser


class PhotoFormParser(SangamParser):
    """A multipart photo form is one body: the ``files`` location reads the image and the form fields together,
    so one schema (and one OpenAPI multipart requestBody) describes both."""

    def load_files(self, req, schema):
        return self._makeproxy(CombinedMultiDict([req.files, req.form]), schema)


class PhotoBlueprint(Blueprint):
    ARGUMENTS_PARSER = PhotoFormParser()


visitors_blp = Blueprint("visitors", __name__, url_prefix="/api/v1/visitors",
                         description="Visitors: invitations, passes, on-site roll-call, block list, cards")
faces_blp = PhotoBlueprint("visitor_faces", __name__, url_prefix="/api/v1/visitors",
                           description="Visitors' face biometrics with consent: enrol, erase, verify, identify")
visits_blp = Blueprint("visits", __name__, url_prefix="/api/v1/visits",
                       description="A visit's pass at reception: check in, check out, revoke, printable PDF")
