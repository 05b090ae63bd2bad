"""The one place request bodies and query strings are parsed: a webargs parser on ``app.core.jsonio``.

Domain blueprints are ``app.core.parsing.Blueprint`` (flask-smorest's, with this parser), so every
endpoint refuses the same things the same way: a body that is not JSON (415, or 400 when it claims
to be JSON and is not), nesting too deep, lone surrogates, NaN.
"""

from __future__ import annotations

import flask_smorest
from webargs import core
from webargs.flaskparser import FlaskParser

from app.core.errors import APIError
from app.core.jsonio import parse_body


class UnsupportedMediaType(APIError):
    status, error, message = 415, "unsupported_media_type", "Send the request body as JSON (application/json)."


class SangamParser(FlaskParser):
    """webargs' Flask parser with strict JSON and a 415 for bodies of another type."""

    def _raw_load_json(self, req):
        data = req.get_data(cache=True)
        if not data:
            return core.missing
        if not req.is_json:
            raise UnsupportedMediaType()
        return parse_body(data)


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint with Sangam's parser."""

    ARGUMENTS_PARSER = SangamParser()
