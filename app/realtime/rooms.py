"""Socket.IO channels, who may join them, and room names.

A room is ``<channel>``, ``<channel>:t<temple_id>`` or ``<channel>:t<temple_id>:z<zone>``.
An event scoped to a zone reaches the zone room, its temple room and the channel room (which
sees everything). An event with no temple (city-wide) also reaches ``<channel>:city``, which
every temple subscriber of that channel joins too: a pilgrim watching Somnath's alerts gets the
city's alerts, but not Dwarka's.
"""

from __future__ import annotations

CHANNEL_EVENTS = {
    "crowd": ("crowd_update",),
    "transport": ("transport_update",),
    "alerts": ("alert",),
    "emergency": ("emergency",),
    "parking": ("parking_update",),
    "city": ("traffic_update", "environment_alert", "system_update"),
    "signs": ("sign_update",),
}
STAFF_ONLY = {"emergency": ("admin", "operator", "safety_officer"), "signs": ("admin", "operator")}


def room_name(channel: str, temple_id=None, zone: str | None = None) -> str:
    """Name the room for a channel and an optional temple and zone."""
    name = channel
    if temple_id is not None:
        name += f":t{temple_id}"
        if zone:
            name += f":z{zone}"
    return name


def rooms_for_scope(channel: str, scope: dict) -> list[str]:
    """All rooms an event with this scope is delivered to (broadest first)."""
    temple_id, zone = scope.get("temple_id"), scope.get("zone")
    rooms = [channel]
    if temple_id is None:
        rooms.append(city_room(channel))
    else:
        rooms.append(room_name(channel, temple_id))
        if zone:
            rooms.append(room_name(channel, temple_id, zone))
    return rooms


def city_room(channel: str) -> str:
    """The room of a channel's city-wide events."""
    return f"{channel}:city"
