"""Reading batches off the wire (HTTP body, MQTT payload).

The platform's strict parser (``app.core.jsonio.parse_body``) refuses NaN and Infinity for the whole
body. A sensor batch is different: many firmware JSON encoders write ``NaN`` for a failed sample, and
one bad sample must not cost the other 999 readings. So a batch the strict parser refuses is read
again accepting those literals only; each such reading is then refused alone (``invalid_value``).
Anything else the strict parser refuses (not JSON, too deep) stays a 400.
"""

from __future__ import annotations

import json

from app.core.jsonio import InvalidJSON, parse_body

NON_FINITE = ("NaN", "Infinity", "-Infinity")


def parse_batch(data: bytes | str):
    """Parse a readings body: strict JSON, except that NaN/Infinity values are kept (and refused later)."""
    try:
        return parse_body(data)
    except InvalidJSON:
        if not any(word in (data if isinstance(data, str) else data.decode("utf-8", "replace"))
                   for word in NON_FINITE):
            raise
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise InvalidJSON(errors={"json": ["Invalid JSON body."]}) from exc
