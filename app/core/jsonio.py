"""JSON responses: times as ISO 8601 with offset, dates as ISO dates, money as strings."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask.json.provider import DefaultJSONProvider

from app.core.timeutil import as_utc


class SangamJSONProvider(DefaultJSONProvider):
    """Flask's provider writes RFC 822 dates; the API contract wants ISO 8601."""

    sort_keys = False

    @staticmethod
    def default(o):
        if isinstance(o, datetime):
            return as_utc(o).isoformat()
        if isinstance(o, date):
            return o.isoformat()
        if isinstance(o, Decimal):
            return str(o)
        return DefaultJSONProvider.default(o)
