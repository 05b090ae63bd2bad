"""Waste collections: schedule them (one bin, or every stop of a route plan), record them, and analyse them.

A collection is ``scheduled`` → ``completed`` (or ``cancelled``), each step one conditional UPDATE.
Completing one empties its bin. Cost defaults to ``WASTE_COST_PER_COLLECTION_INR``; analytics give
tonnage, the recycling share (recyclable kg over all kg), cost per collection and per tonne.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from flask import current_app
from sqlalchemy import func, select, update

from app.city import events
from app.city.errors import CollectionClosed, CollectionNotFound
from app.city.models import WasteBin, WasteCollection
from app.city.service.waste import get_bin, get_plan, threshold
from app.core.errors import ValidationFailed
from app.core.events import transactional
from app.core.states import transition
from app.core.timeutil import utcnow
from app.extensions import db


def collection_view(c: WasteCollection) -> dict:
    return {col.key: getattr(c, col.key) for col in WasteCollection.__table__.columns}


def get_collection(collection_id: int) -> WasteCollection:
    found = db.session.get(WasteCollection, collection_id)
    if found is None:
        raise CollectionNotFound()
    return found


def _default_cost() -> Decimal:
    return Decimal(str(current_app.config["WASTE_COST_PER_COLLECTION_INR"])).quantize(Decimal("0.01"))


def _check_weights(weight_kg: float | None, recyclable_kg: float | None) -> None:
    if weight_kg is None:
        raise ValidationFailed({"weight_kg": ["A completed collection needs its weight."]})
    if recyclable_kg is not None and recyclable_kg > weight_kg:
        raise ValidationFailed({"recyclable_kg": ["Cannot exceed weight_kg."]})


def _empty(bin_id: int, at: datetime) -> None:
    db.session.execute(update(WasteBin).where(WasteBin.id == bin_id)
                       .values(fill_pct=0.0, fill_at=at, last_emptied_at=at, needs_collection=False))


@transactional
def record_collection(*, bin_id: int | None = None, plan_id: int | None = None, scheduled_for: datetime | None = None,
                      collected_at: datetime | None = None, weight_kg: float | None = None,
                      recyclable_kg: float | None = None, cost: Decimal | None = None,
                      vehicle: int | None = None) -> list[WasteCollection]:
    """Schedule collections (a bin, or a plan's stops) or record one done now; return the rows made."""
    if plan_id is not None:
        return _schedule_plan(plan_id, scheduled_for or utcnow())
    if bin_id is None:
        raise ValidationFailed({"bin_id": ["Give bin_id or plan_id."]})
    found = get_bin(bin_id)
    if weight_kg is None and collected_at is None:
        return [_add(WasteCollection(bin_id=found.id, vehicle=vehicle, status="scheduled",
                                     scheduled_for=scheduled_for or utcnow()))]
    _check_weights(weight_kg, recyclable_kg)
    at = collected_at or utcnow()
    row = _add(WasteCollection(bin_id=found.id, vehicle=vehicle, status="completed", collected_at=at,
                               fill_pct=found.fill_pct, weight_kg=weight_kg, recyclable_kg=recyclable_kg or 0.0,
                               cost=cost if cost is not None else _default_cost()))
    _empty(found.id, at)
    return [row]


def _add(row: WasteCollection) -> WasteCollection:
    db.session.add(row)
    db.session.flush()
    events.changed("collection_recorded", "waste_collection", row.id, "create",
                   {"bin_id": [None, row.bin_id], "status": [None, row.status]})
    return row


def _schedule_plan(plan_id: int, when: datetime) -> list[WasteCollection]:
    plan = get_plan(plan_id)
    return [_add(WasteCollection(bin_id=stop, plan_id=plan.id, vehicle=route["vehicle"], status="scheduled",
                                 scheduled_for=when)) for route in plan.routes for stop in route["stops"]]


@transactional
def cancel_collection(*, collection_id: int) -> WasteCollection:
    """Cancel a scheduled collection (once)."""
    found = get_collection(collection_id)
    if not transition(WasteCollection, collection_id, from_="scheduled", to="cancelled"):
        raise CollectionClosed()
    events.changed("collection_cancelled", "waste_collection", found.id, "cancel",
                   {"status": ["scheduled", "cancelled"]})
    return found


@transactional
def complete_collection(*, collection_id: int, weight_kg: float, recyclable_kg: float | None = None,
                        cost: Decimal | None = None, collected_at: datetime | None = None) -> WasteCollection:
    """Record a scheduled collection as done (once) and empty its bin."""
    found = get_collection(collection_id)
    _check_weights(weight_kg, recyclable_kg)
    at = collected_at or utcnow()
    fill = db.session.get(WasteBin, found.bin_id).fill_pct
    done = transition(WasteCollection, collection_id, from_="scheduled", to="completed",
                      values={"collected_at": at, "weight_kg": weight_kg, "fill_pct": fill,
                              "recyclable_kg": recyclable_kg or 0.0,
                              "cost": cost if cost is not None else _default_cost()})
    if not done:
        raise CollectionClosed()
    _empty(found.bin_id, at)
    events.changed("collection_completed", "waste_collection", found.id, "complete",
                   {"status": ["scheduled", "completed"], "weight_kg": [None, weight_kg]})
    return found


def list_collections(*, status: str | None = None, start: datetime | None = None, end: datetime | None = None):
    """A select of collections, newest first."""
    stmt = select(WasteCollection).order_by(WasteCollection.id.desc())
    if status:
        stmt = stmt.where(WasteCollection.status == status)
    if start:
        stmt = stmt.where(WasteCollection.collected_at >= start)
    if end:
        stmt = stmt.where(WasteCollection.collected_at < end)
    return stmt


def analytics(*, start: datetime, end: datetime) -> dict:
    """Tonnage, recycling share, costs per collection and tonne, per zone and in total, for a period."""
    stmt = (select(WasteBin.zone, func.count(), func.sum(WasteCollection.weight_kg),
                   func.sum(WasteCollection.recyclable_kg), func.sum(WasteCollection.cost),
                   func.avg(WasteCollection.fill_pct))
            .join(WasteBin, WasteBin.id == WasteCollection.bin_id)
            .where(WasteCollection.status == "completed", WasteCollection.collected_at >= start,
                   WasteCollection.collected_at < end)
            .group_by(WasteBin.zone).order_by(WasteBin.zone))
    zones = [_figures(count, kg, rec, cost, fill, zone=zone)
             for zone, count, kg, rec, cost, fill in db.session.execute(stmt)]
    total = _figures(sum(z["collections"] for z in zones), sum(z["weight_kg"] for z in zones),
                     sum(z["recyclable_kg"] for z in zones), sum(Decimal(z["cost"]) for z in zones), None)
    waiting = db.session.scalar(select(func.count()).where(WasteBin.fill_pct >= threshold()))
    return {"from": start, "to": end, "total": total, "zones": zones, "bins_to_collect": waiting,
            "threshold_pct": threshold()}


def _figures(count, kg, recyclable, cost, fill, zone: str | None = None) -> dict:
    kg, recyclable, cost = float(kg or 0), float(recyclable or 0), Decimal(cost or 0).quantize(Decimal("0.01"))
    out = {"collections": count, "weight_kg": round(kg, 1), "tonnes": round(kg / 1000, 3),
           "recyclable_kg": round(recyclable, 1),
           "recycling_share_pct": round(100 * recyclable / kg, 1) if kg else None, "cost": str(cost),
           "cost_per_collection": str((cost / count).quantize(Decimal("0.01"))) if count else None,
           "cost_per_tonne": str((cost / Decimal(kg / 1000)).quantize(Decimal("0.01"))) if kg else None}
    if zone is not None:
        out = {"zone": zone, **out, "mean_fill_at_collection_pct": round(fill, 1) if fill is not None else None}
    return out
