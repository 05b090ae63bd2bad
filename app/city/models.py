"""City sensors and their readings, roads and signals, bins and collections, feeders.

Readings are the one large table: no foreign key (a per-row trigger would halve bulk ingest; sensors
are never deleted), a B-tree on (sensor, metric, time) for series and a BRIN index on time for the
range scans of roll-ups and retention (PostgreSQL; SQLite gets a B-tree).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.core.types import Money, UTCDateTime
from app.extensions import db

BIGINT = BigInteger().with_variant(Integer(), "sqlite")


class Sensor(db.Model):
    __tablename__ = "city_sensors"
    __table_args__ = (CheckConstraint("kind IN ('traffic', 'air', 'noise', 'weather', 'waste_bin', 'energy_meter')",
                                      name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(120))
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    zone: Mapped[str] = mapped_column(String(64), index=True)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id", ondelete="SET NULL"), index=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Reading(db.Model):
    __tablename__ = "city_readings"
    __table_args__ = (Index("ix_city_readings_sensor_metric_at", "sensor_id", "metric", "at"),
                      Index("ix_city_readings_at_brin", "at", postgresql_using="brin"))

    id: Mapped[int] = mapped_column(BIGINT, primary_key=True, autoincrement=True)
    sensor_id: Mapped[int] = mapped_column(Integer)
    metric: Mapped[str] = mapped_column(String(16))
    value: Mapped[float] = mapped_column(Float)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReadingHour(db.Model):
    """Raw readings past retention, rolled up per sensor, metric and UTC hour (sum kept so merges stay exact)."""

    __tablename__ = "city_reading_hours"

    sensor_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    metric: Mapped[str] = mapped_column(String(16), primary_key=True)
    hour: Mapped[int] = mapped_column(BigInteger, primary_key=True)  # epoch second the UTC hour starts
    count: Mapped[int] = mapped_column(Integer)
    total: Mapped[float] = mapped_column(Float)
    low: Mapped[float] = mapped_column(Float)
    high: Mapped[float] = mapped_column(Float)


class LatestReading(db.Model):
    """The newest value of each sensor's metric (upserted by ingest; a late reading never overwrites it)."""

    __tablename__ = "city_latest_readings"

    sensor_id: Mapped[int] = mapped_column(ForeignKey("city_sensors.id", ondelete="CASCADE"), primary_key=True)
    metric: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class AirZone(db.Model):
    """The last AQI category of a zone; rises are claimed with a conditional UPDATE (one alert per crossing),
    and so is each evaluation (at most one per ``AQI_EVALUATE_SECONDS``)."""

    __tablename__ = "city_air_zones"

    zone: Mapped[str] = mapped_column(String(64), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer, default=-1)
    aqi: Mapped[int | None] = mapped_column(Integer)
    category: Mapped[str | None] = mapped_column(String(30))
    at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    evaluated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RoadNode(db.Model):
    __tablename__ = "city_road_nodes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)


class RoadSegment(db.Model):
    __tablename__ = "city_road_segments"
    __table_args__ = (CheckConstraint("free_flow_kmh > 0", name="free_flow"),
                      CheckConstraint("length_m > 0", name="length"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    from_node_id: Mapped[int] = mapped_column(ForeignKey("city_road_nodes.id", ondelete="CASCADE"), index=True)
    to_node_id: Mapped[int] = mapped_column(ForeignKey("city_road_nodes.id", ondelete="CASCADE"), index=True)
    length_m: Mapped[float] = mapped_column(Float)
    free_flow_kmh: Mapped[float] = mapped_column(Float)
    lanes: Mapped[int] = mapped_column(Integer, default=1)
    oneway: Mapped[bool] = mapped_column(Boolean, default=False)
    zone: Mapped[str] = mapped_column(String(64), index=True)
    sensor_id: Mapped[int | None] = mapped_column(ForeignKey("city_sensors.id", ondelete="SET NULL"), index=True)
    level: Mapped[str | None] = mapped_column(String(10))


class Junction(db.Model):
    __tablename__ = "city_junctions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    node_id: Mapped[int | None] = mapped_column(ForeignKey("city_road_nodes.id", ondelete="SET NULL"))
    lost_time_per_phase_s: Mapped[float] = mapped_column(Float, default=4.0)


class JunctionApproach(db.Model):
    __tablename__ = "city_junction_approaches"
    __table_args__ = (CheckConstraint("saturation_vph > 0", name="saturation"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    junction_id: Mapped[int] = mapped_column(ForeignKey("city_junctions.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    phase: Mapped[int] = mapped_column(Integer)
    segment_id: Mapped[int] = mapped_column(ForeignKey("city_road_segments.id", ondelete="CASCADE"))
    saturation_vph: Mapped[float] = mapped_column(Float)


class TrafficIncident(db.Model):
    __tablename__ = "city_traffic_incidents"
    __table_args__ = (CheckConstraint("status IN ('active', 'resolved')", name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    severity: Mapped[str] = mapped_column(String(10))
    description: Mapped[str | None] = mapped_column(String(500))
    segment_id: Mapped[int | None] = mapped_column(ForeignKey("city_road_segments.id", ondelete="SET NULL"),
                                                   index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(10), default="active", index=True)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reported_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class WasteBin(db.Model):
    __tablename__ = "city_waste_bins"
    __table_args__ = (CheckConstraint("capacity_l > 0", name="capacity"),
                      CheckConstraint("fill_pct >= 0 AND fill_pct <= 100", name="fill"),
                      CheckConstraint("stream IN ('mixed', 'recyclable', 'organic')", name="stream"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    zone: Mapped[str] = mapped_column(String(64), index=True)
    capacity_l: Mapped[int] = mapped_column(Integer)
    stream: Mapped[str] = mapped_column(String(12), default="mixed")
    sensor_id: Mapped[int | None] = mapped_column(ForeignKey("city_sensors.id", ondelete="SET NULL"), unique=True)
    fill_pct: Mapped[float] = mapped_column(Float, default=0.0)
    fill_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_emptied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    needs_collection: Mapped[bool] = mapped_column(Boolean, default=False)


class WasteRoutePlan(db.Model):
    __tablename__ = "city_waste_route_plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    depot_lat: Mapped[float] = mapped_column(Float)
    depot_lng: Mapped[float] = mapped_column(Float)
    vehicles: Mapped[int] = mapped_column(Integer)
    vehicle_capacity_l: Mapped[int] = mapped_column(Integer)
    min_fill_pct: Mapped[float] = mapped_column(Float)
    routes: Mapped[list] = mapped_column(JSON)
    unassigned: Mapped[list] = mapped_column(JSON)
    solve_ms: Mapped[int] = mapped_column(Integer)


class WasteCollection(db.Model):
    __tablename__ = "city_waste_collections"
    __table_args__ = (CheckConstraint("status IN ('scheduled', 'completed', 'cancelled')", name="status"),
                      CheckConstraint("recyclable_kg IS NULL OR weight_kg IS NULL OR recyclable_kg <= weight_kg",
                                      name="recyclable"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bin_id: Mapped[int] = mapped_column(ForeignKey("city_waste_bins.id", ondelete="CASCADE"), index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("city_waste_route_plans.id", ondelete="SET NULL"))
    vehicle: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), index=True)
    scheduled_for: Mapped[datetime | None] = mapped_column(UTCDateTime())
    collected_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    fill_pct: Mapped[float | None] = mapped_column(Float)
    weight_kg: Mapped[float | None] = mapped_column(Float)
    recyclable_kg: Mapped[float | None] = mapped_column(Float)
    cost: Mapped[Decimal | None] = mapped_column(Money())


class Feeder(db.Model):
    __tablename__ = "city_feeders"
    __table_args__ = (CheckConstraint("capacity_kw > 0", name="capacity"), UniqueConstraint("sensor_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    zone: Mapped[str] = mapped_column(String(64), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    capacity_kw: Mapped[float] = mapped_column(Float)
    sensor_id: Mapped[int | None] = mapped_column(ForeignKey("city_sensors.id", ondelete="SET NULL"))
    overloaded: Mapped[bool] = mapped_column(Boolean, default=False)
