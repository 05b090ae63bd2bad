"""Room names for the two scopings a channel may declare (see ``app.core.domain.Channel``).

``place`` (temples, alerts, emergency…): a room is ``<channel>``, ``<channel>:t<temple_id>`` or
``<channel>:t<temple_id>:z<zone>``. An event scoped to a zone reaches the zone room, its temple
room and the channel room (which sees everything). An event with no temple (city-wide) also
reaches ``<channel>:city``, which every temple subscriber of that channel joins too: a pilgrim
watching Somnath's alerts gets the city's alerts, but not Dwarka's.

``module`` (the city's live events): a subscriber names an optional ``module`` and an optional
``min_severity``; an event scoped ``{module, severity}`` reaches ``<channel>``, ``<channel>:<module>``
and, for every severity up to its own, ``<channel>:<module>:<severity>+`` and ``<channel>:*:<severity>+``.
"""

from __future__ import annotations

SEVERITIES = ("info", "warning", "critical")


def room_name(channel: str, temple_id=None, zone: str | None = None) -> str:
    """Name the place room for a channel and an optional temple and zone."""
    name = channel
    if temple_id is not None:
        name += f":t{temple_id}"
        if zone:
            name += f":z{zone}"
    return name


def city_room(channel: str) -> str:
    """The room of a place channel's city-wide events."""
    return f"{channel}:city"


def module_room(channel: str, module: str | None, min_severity: str | None) -> str:
    """The room a module subscriber joins."""
    if min_severity is None:
        return f"{channel}:{module}" if module else channel
    return f"{channel}:{module or '*'}:{min_severity}+"


def place_rooms(channel: str, scope: dict) -> list[str]:
    temple_id, zone = scope.get("temple_id"), scope.get("zone")
    rooms = [channel]
    if temple_id is None:
        rooms.append(city_room(channel))
    else:
        rooms.append(room_name(channel, temple_id))
        if zone:
            rooms.append(room_name(channel, temple_id, zone))
    return rooms


def module_rooms(channel: str, scope: dict) -> list[str]:
    module, severity = scope.get("module"), scope.get("severity") or "info"
    level = SEVERITIES.index(severity) if severity in SEVERITIES else 0
    rooms = [channel]
    if module:
        rooms.append(f"{channel}:{module}")
    for lower in SEVERITIES[:level + 1]:
        rooms.append(f"{channel}:*:{lower}+")
        if module:
            rooms.append(f"{channel}:{module}:{lower}+")
    return rooms


def rooms_for_scope(channel: str, scope: dict, scoping: str = "place") -> list[str]:
    """All rooms an event with this scope is delivered to (broadest first)."""
    return module_rooms(channel, scope) if scoping == "module" else place_rooms(channel, scope)
