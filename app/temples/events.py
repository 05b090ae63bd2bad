"""Temples events: audited changes, live ``crowd_update``/``transport_update``, and ``temples.zone_critical``.

Payloads of live events are the REST resources' JSON (a zone's crowd state, a shuttle); the
others carry the ids other domains need.
"""

from __future__ import annotations

from app.core.events import Event, publish
from app.extensions import socketio
from app.temples.schemas import ShuttleSchema


def _audited(name: str, payload: dict, entity: str, entity_id, action: str, changes: dict | None = None) -> None:
    publish(Event(name=f"temples.{name}", payload=payload, entity=entity, entity_id=entity_id, action=action,
                  changes=changes))


def temple_created(temple) -> None:
    _audited("temple_created", {"slug": temple.slug}, "temple", temple.id, "create",
             {"slug": [None, temple.slug], "name": [None, temple.name]})


def zone_created(temple, zone) -> None:
    _audited("zone_created", {"temple": temple.slug, "zone": zone.slug}, "zone", zone.id, "create",
             {"capacity": [None, zone.capacity]})


def slots_created(temple, count: int) -> None:
    _audited("slots_created", {"temple": temple.slug, "count": count}, "temple", temple.id, "create_slots",
             {"slots": [None, count]})


def slot_changed(slot, changes: dict) -> None:
    _audited("slot_changed", {"id": slot.id}, "slot", slot.id, "update", changes)


def booking_created(booking) -> None:
    _audited("booking_created", {"code": booking.code, "slot_id": booking.slot_id, "party_size": booking.party_size},
             "booking", booking.code, "create",
             {"party_size": [None, booking.party_size], "status": [None, "confirmed"]})


def booking_cancelled(booking) -> None:
    _audited("booking_cancelled", {"code": booking.code, "slot_id": booking.slot_id}, "booking", booking.code,
             "cancel", {"status": ["confirmed", "cancelled"]})


def booking_checked_in(booking) -> None:
    _audited("booking_checked_in", {"code": booking.code}, "booking", booking.code, "check_in",
             {"status": ["confirmed", "checked_in"]})


def crowd_updated(state: dict) -> None:
    """A zone's new crowd state, live to the zone's, temple's and channel's ``crowd`` rooms."""
    publish(Event(name="temples.crowd_updated", payload=state, channel="crowd", socket_event="crowd_update",
                  scope={"temple_id": state["temple_id"], "zone": state["zone"]}, audit=False))


def zone_critical(temple, state: dict) -> None:
    """A zone has just turned critical (other domains react: safety links it, signs propose an override)."""
    publish(Event(name="temples.zone_critical", audit=False, payload={
        "temple": temple.slug, "temple_id": temple.id, "zone": state["zone"], "name": state["name"],
        "count": state["count"], "capacity": state["capacity"], "density_pct": state["density_pct"],
        "lat": temple.lat, "lng": temple.lng, "at": state["at"]}))


def route_created(route) -> None:
    _audited("route_created", {"id": route.id}, "shuttle_route", route.id, "create", {"name": [None, route.name]})


def shuttle_created(shuttle) -> None:
    _audited("shuttle_created", {"id": shuttle.id}, "shuttle", shuttle.id, "create",
             {"capacity": [None, shuttle.capacity]})


def shuttle_moved(shuttle) -> None:
    """A shuttle's new position (the REST resource), live on the temple's ``transport`` room."""
    publish(Event(name="temples.shuttle_moved", payload=ShuttleSchema().dump(shuttle), channel="transport",
                  socket_event="transport_update", scope={"temple_id": shuttle.route.temple_id}, audit=False))


def resource_created(resource, changes: dict) -> None:
    _audited("resource_created", {"id": resource.id}, "resource", resource.id, "create", changes)


def resource_updated(resource, changes: dict) -> None:
    _audited("resource_updated", {"id": resource.id}, "resource", resource.id, "update", changes)


def _release(name: str, release, action: str, changes: dict) -> None:
    _audited(name, {"id": release.id, "status": release.status}, "release", release.id, action, changes)


def release_created(release) -> None:
    _release("release_created", release, "create", {"name": [None, release.name],
                                                    "opens_at": [None, release.opens_at.isoformat()],
                                                    "per_person_limit": [None, release.per_person_limit]})


def release_changed(release, changes: dict) -> None:
    _release("release_changed", release, "update", changes)


def release_opened(release) -> None:
    _release("release_opened", release, "open", {"status": ["scheduled", "open"]})


def release_sold_out(release) -> None:
    _release("release_sold_out", release, "sell_out", {"status": ["open", "sold_out"]})


def release_closed(release) -> None:
    _release("release_closed", release, "close", {"status": [None, "closed"]})


QUEUE_NAMESPACE = "/queue"


def ticket_room(ticket_id: str) -> str:
    """The Socket.IO room of one queue ticket on ``/queue`` (its holder joins it with the signed ticket)."""
    return f"ticket:{ticket_id}"


def booking_result(ticket_id: str, view: dict) -> None:
    """A ticket's result, pushed at once to that ticket's room only.

    Not through the event bus: a result is no change to audit or to drop caches for, and it goes to one
    client's room on the temples' own namespace (``app/temples/sockets.py``), not to a channel's rooms.
    """
    socketio.emit("booking_result", view, to=ticket_room(ticket_id), namespace=QUEUE_NAMESPACE)
