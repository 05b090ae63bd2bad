"""JSON in and out, with orjson: one strict parser for request bodies, one fast provider for responses.

Out: times as ISO 8601 with offset (UTC), dates as ISO dates, money (Decimal) as exact strings.
In: ``parse_body`` refuses what would otherwise surface later as a 500 — nesting deeper than 1 024
levels, lone UTF-16 surrogates (``"\\udfff"``), NaN/Infinity, invalid UTF-8 — with a 400 that says why.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import orjson
from flask.json.provider import JSONProvider

from app.core.errors import BadRequest
from app.core.timeutil import as_utc

OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS


def _default(o):
    if isinstance(o, datetime):
        return as_utc(o).isoformat()
    if isinstance(o, (date, time)):
        return o.isoformat()
    if isinstance(o, Decimal):
        return str(o)
    if isinstance(o, (set, frozenset, tuple)):
        return list(o)
    raise TypeError(f"Object of type {type(o).__name__} is not JSON serialisable")


def dumps_bytes(obj) -> bytes:
    """Serialise to UTF-8 JSON bytes."""
    return orjson.dumps(obj, default=_default, option=OPTIONS)


class InvalidJSON(BadRequest):
    message = "The request body is not valid JSON."


def parse_body(data: bytes | str):
    """Parse a request body strictly; 400 naming the problem when it is not acceptable JSON."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        reason = str(exc).split(":", 1)[0]
        raise InvalidJSON(errors={"json": [f"Invalid JSON body: {reason}."]}) from exc


class SangamJSONProvider(JSONProvider):
    """Flask's JSON provider on orjson (responses, ``request.get_json``)."""

    sort_keys = False

    def dumps(self, obj, **kwargs) -> str:
        return dumps_bytes(obj).decode()

    def loads(self, s, **kwargs):
        return parse_body(s)

    def response(self, *args, **kwargs):
        obj = self._prepare_response_obj(args, kwargs)
        return self._app.response_class(dumps_bytes(obj), mimetype="application/json")
