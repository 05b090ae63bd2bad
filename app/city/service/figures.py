"""The city's headline figures (KPIs): cheap reads of stored state, never a scan of the readings."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.city.models import AirZone, Feeder, RoadSegment, TrafficIncident, WasteBin, WasteCollection
from app.core.daily import per_local_day
from app.extensions import db


def worst_aqi() -> int | None:
    """The highest AQI of any zone at its last evaluation."""
    return db.session.scalar(select(func.max(AirZone.aqi)))


def congested_segments() -> int:
    """Road segments heavy or jammed now."""
    return db.session.scalar(select(func.count()).where(RoadSegment.level.in_(("heavy", "jammed")))) or 0


def bins_to_collect() -> int:
    """Bins marked for collection."""
    return db.session.scalar(select(func.count()).where(WasteBin.needs_collection.is_(True))) or 0


def feeders_high() -> int:
    """Feeders above the high-load limit."""
    return db.session.scalar(select(func.count()).where(Feeder.overloaded.is_(True))) or 0


def active_traffic_incidents() -> int:
    return db.session.scalar(select(func.count()).where(TrafficIncident.status == "active")) or 0


def incidents_per_day(first: date, last: date) -> dict:
    """Traffic incidents reported per local day."""
    return per_local_day(TrafficIncident.reported_at, first, last)


def waste_kg_per_day(first: date, last: date) -> dict:
    """Kilograms of waste collected per local day."""
    return per_local_day(WasteCollection.collected_at, first, last, value=WasteCollection.weight_kg)
