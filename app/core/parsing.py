"""The one place request bodies and query strings are parsed: a webargs parser on ``app.core.jsonio``.

Domain blueprints are ``app.core.parsing.Blueprint`` (flask-smorest's, with this parser), so every
endpoint refuses the same things the same way: a body that is not JSON (415, or 400 when it claims
to be JSON and is not), nesting too deep, lone surrogates, NaN.
"""

from __future__ import annotations

import flask_smorest
import flask_smorest.pagination
import marshmallow as ma
from webargs import core
from webargs.flaskparser import FlaskParser
from werkzeug.routing import IntegerConverter

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


INT32_MAX = 2**31 - 1  # ids and page numbers: what the database's integer columns hold


class Int32Converter(IntegerConverter):
    """``<int:id>`` matches 0…2**31-1 only: a larger id is a 404, never a database overflow."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 - werkzeug's signature
        kwargs.setdefault("max", INT32_MAX)
        super().__init__(map, *args, **kwargs)


def int32_parameter(converter) -> dict:
    """How an ``<int:…>`` path parameter is documented."""
    return {"type": "integer", "minimum": converter.min or 0, "maximum": converter.max or INT32_MAX}


def _pagination_schema(def_page, def_page_size, def_max_page_size):
    """flask-smorest's pagination parameters, with ``page`` bounded like the ids (no overflow, documented)."""

    class PaginationParametersSchema(ma.Schema):
        class Meta:
            unknown = ma.EXCLUDE

        page = ma.fields.Integer(load_default=def_page, validate=ma.validate.Range(min=1, max=INT32_MAX))
        page_size = ma.fields.Integer(load_default=def_page_size,
                                      validate=ma.validate.Range(min=1, max=def_max_page_size))

        @ma.post_load
        def make_paginator(self, data, **kwargs):
            return flask_smorest.pagination.PaginationParameters(**data)

    return PaginationParametersSchema


flask_smorest.pagination._pagination_parameters_schema_factory = _pagination_schema  # the one factory it uses


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint with Sangam's parser.

    A body whose fields are all optional (``{note?}``) is itself optional: it may be left out, and the
    OpenAPI document says so (so a fuzzer's "missing body" is a valid request, as it is for clients).
    """

    ARGUMENTS_PARSER = SangamParser()

    def arguments(self, schema, *, location="json", required=None, **kwargs):
        if required is None:
            instance = schema() if isinstance(schema, type) else schema
            required = location != "json" or any(f.required for f in instance.fields.values())
        return super().arguments(schema, location=location, required=required, **kwargs)
