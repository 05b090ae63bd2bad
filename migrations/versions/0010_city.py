"""city domain: sensors, readings (BRIN on time), hourly roll-ups, roads and signals, bins, feeders

Revision ID: 0010_city
Revises: 0009_visitors
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_city"
down_revision = "0009_visitors"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "city_air_zones",
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("aqi", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=30), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("evaluated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("zone", name=op.f("pk_city_air_zones")),
    )
    op.create_table(
        "city_reading_hours",
        sa.Column("sensor_id", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=16), nullable=False),
        sa.Column("hour", sa.BigInteger(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.Column("low", sa.Float(), nullable=False),
        sa.Column("high", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("sensor_id", "metric", "hour", name=op.f("pk_city_reading_hours")),
    )
    op.create_table(
        "city_readings",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("sensor_id", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_city_readings")),
    )
    op.create_index("ix_city_readings_at_brin", "city_readings", ["at"], unique=False, postgresql_using="brin")
    op.create_index("ix_city_readings_sensor_metric_at", "city_readings", ["sensor_id", "metric", "at"])
    op.create_table(
        "city_road_nodes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lng", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_city_road_nodes")),
        sa.UniqueConstraint("key", name=op.f("uq_city_road_nodes_key")),
    )
    op.create_table(
        "city_waste_route_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("depot_lat", sa.Float(), nullable=False),
        sa.Column("depot_lng", sa.Float(), nullable=False),
        sa.Column("vehicles", sa.Integer(), nullable=False),
        sa.Column("vehicle_capacity_l", sa.Integer(), nullable=False),
        sa.Column("min_fill_pct", sa.Float(), nullable=False),
        sa.Column("routes", sa.JSON(), nullable=False),
        sa.Column("unassigned", sa.JSON(), nullable=False),
        sa.Column("solve_ms", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_city_waste_route_plans")),
    )
    op.create_index(op.f("ix_city_waste_route_plans_created_at"), "city_waste_route_plans", ["created_at"])
    op.create_table(
        "city_junctions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("node_id", sa.Integer(), nullable=True),
        sa.Column("lost_time_per_phase_s", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["node_id"],
            ["city_road_nodes.id"],
            name=op.f("fk_city_junctions_node_id_city_road_nodes"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_city_junctions")),
        sa.UniqueConstraint("key", name=op.f("uq_city_junctions_key")),
    )
    op.create_table(
        "city_sensors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lng", sa.Float(), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('traffic', 'air', 'noise', 'weather', 'waste_bin', 'energy_meter')",
            name=op.f("ck_city_sensors_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name=op.f("fk_city_sensors_device_id_devices"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_city_sensors")),
    )
    op.create_index(op.f("ix_city_sensors_device_id"), "city_sensors", ["device_id"])
    op.create_index(op.f("ix_city_sensors_kind"), "city_sensors", ["kind"])
    op.create_index(op.f("ix_city_sensors_zone"), "city_sensors", ["zone"])
    op.create_table(
        "city_feeders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lng", sa.Float(), nullable=False),
        sa.Column("capacity_kw", sa.Float(), nullable=False),
        sa.Column("sensor_id", sa.Integer(), nullable=True),
        sa.Column("overloaded", sa.Boolean(), nullable=False),
        sa.CheckConstraint("capacity_kw > 0", name=op.f("ck_city_feeders_capacity")),
        sa.ForeignKeyConstraint(
            ["sensor_id"], ["city_sensors.id"], name=op.f("fk_city_feeders_sensor_id_city_sensors"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_city_feeders")),
        sa.UniqueConstraint("key", name=op.f("uq_city_feeders_key")),
        sa.UniqueConstraint("sensor_id", name=op.f("uq_city_feeders_sensor_id")),
    )
    op.create_index(op.f("ix_city_feeders_zone"), "city_feeders", ["zone"])
    op.create_table(
        "city_latest_readings",
        sa.Column("sensor_id", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["sensor_id"],
            ["city_sensors.id"],
            name=op.f("fk_city_latest_readings_sensor_id_city_sensors"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("sensor_id", "metric", name=op.f("pk_city_latest_readings")),
    )
    op.create_table(
        "city_road_segments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("from_node_id", sa.Integer(), nullable=False),
        sa.Column("to_node_id", sa.Integer(), nullable=False),
        sa.Column("length_m", sa.Float(), nullable=False),
        sa.Column("free_flow_kmh", sa.Float(), nullable=False),
        sa.Column("lanes", sa.Integer(), nullable=False),
        sa.Column("oneway", sa.Boolean(), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("sensor_id", sa.Integer(), nullable=True),
        sa.Column("level", sa.String(length=10), nullable=True),
        sa.CheckConstraint("free_flow_kmh > 0", name=op.f("ck_city_road_segments_free_flow")),
        sa.CheckConstraint("length_m > 0", name=op.f("ck_city_road_segments_length")),
        sa.ForeignKeyConstraint(
            ["from_node_id"],
            ["city_road_nodes.id"],
            name=op.f("fk_city_road_segments_from_node_id_city_road_nodes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sensor_id"],
            ["city_sensors.id"],
            name=op.f("fk_city_road_segments_sensor_id_city_sensors"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["to_node_id"],
            ["city_road_nodes.id"],
            name=op.f("fk_city_road_segments_to_node_id_city_road_nodes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_city_road_segments")),
        sa.UniqueConstraint("key", name=op.f("uq_city_road_segments_key")),
    )
    op.create_index(op.f("ix_city_road_segments_from_node_id"), "city_road_segments", ["from_node_id"])
    op.create_index(op.f("ix_city_road_segments_sensor_id"), "city_road_segments", ["sensor_id"])
    op.create_index(op.f("ix_city_road_segments_to_node_id"), "city_road_segments", ["to_node_id"])
    op.create_index(op.f("ix_city_road_segments_zone"), "city_road_segments", ["zone"])
    op.create_table(
        "city_waste_bins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lng", sa.Float(), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("capacity_l", sa.Integer(), nullable=False),
        sa.Column("stream", sa.String(length=12), nullable=False),
        sa.Column("sensor_id", sa.Integer(), nullable=True),
        sa.Column("fill_pct", sa.Float(), nullable=False),
        sa.Column("fill_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_emptied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("needs_collection", sa.Boolean(), nullable=False),
        sa.CheckConstraint("stream IN ('mixed', 'recyclable', 'organic')", name=op.f("ck_city_waste_bins_stream")),
        sa.CheckConstraint("capacity_l > 0", name=op.f("ck_city_waste_bins_capacity")),
        sa.CheckConstraint("fill_pct >= 0 AND fill_pct <= 100", name=op.f("ck_city_waste_bins_fill")),
        sa.ForeignKeyConstraint(
            ["sensor_id"],
            ["city_sensors.id"],
            name=op.f("fk_city_waste_bins_sensor_id_city_sensors"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_city_waste_bins")),
        sa.UniqueConstraint("sensor_id", name=op.f("uq_city_waste_bins_sensor_id")),
    )
    op.create_index(op.f("ix_city_waste_bins_zone"), "city_waste_bins", ["zone"])
    op.create_table(
        "city_junction_approaches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("junction_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("phase", sa.Integer(), nullable=False),
        sa.Column("segment_id", sa.Integer(), nullable=False),
        sa.Column("saturation_vph", sa.Float(), nullable=False),
        sa.CheckConstraint("saturation_vph > 0", name=op.f("ck_city_junction_approaches_saturation")),
        sa.ForeignKeyConstraint(
            ["junction_id"],
            ["city_junctions.id"],
            name=op.f("fk_city_junction_approaches_junction_id_city_junctions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["segment_id"],
            ["city_road_segments.id"],
            name=op.f("fk_city_junction_approaches_segment_id_city_road_segments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_city_junction_approaches")),
    )
    op.create_index(op.f("ix_city_junction_approaches_junction_id"), "city_junction_approaches", ["junction_id"])
    op.create_table(
        "city_traffic_incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=True),
        sa.Column("segment_id", sa.Integer(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lng", sa.Float(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reported_by", sa.Integer(), nullable=True),
        sa.CheckConstraint("status IN ('active', 'resolved')", name=op.f("ck_city_traffic_incidents_status")),
        sa.ForeignKeyConstraint(
            ["reported_by"], ["users.id"], name=op.f("fk_city_traffic_incidents_reported_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["segment_id"],
            ["city_road_segments.id"],
            name=op.f("fk_city_traffic_incidents_segment_id_city_road_segments"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_city_traffic_incidents")),
    )
    op.create_index(op.f("ix_city_traffic_incidents_segment_id"), "city_traffic_incidents", ["segment_id"])
    op.create_index(op.f("ix_city_traffic_incidents_status"), "city_traffic_incidents", ["status"])
    op.create_table(
        "city_waste_collections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bin_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("vehicle", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("scheduled_for", sa.DateTime(timezone=True), nullable=True),
        sa.Column("collected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("fill_pct", sa.Float(), nullable=True),
        sa.Column("weight_kg", sa.Float(), nullable=True),
        sa.Column("recyclable_kg", sa.Float(), nullable=True),
        sa.Column("cost", sa.Numeric(precision=10, scale=2), nullable=True),
        sa.CheckConstraint(
            "status IN ('scheduled', 'completed', 'cancelled')", name=op.f("ck_city_waste_collections_status")
        ),
        sa.CheckConstraint(
            "recyclable_kg IS NULL OR weight_kg IS NULL OR recyclable_kg <= weight_kg",
            name=op.f("ck_city_waste_collections_recyclable"),
        ),
        sa.ForeignKeyConstraint(
            ["bin_id"],
            ["city_waste_bins.id"],
            name=op.f("fk_city_waste_collections_bin_id_city_waste_bins"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["city_waste_route_plans.id"],
            name=op.f("fk_city_waste_collections_plan_id_city_waste_route_plans"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_city_waste_collections")),
    )
    op.create_index(op.f("ix_city_waste_collections_bin_id"), "city_waste_collections", ["bin_id"])
    op.create_index(op.f("ix_city_waste_collections_collected_at"), "city_waste_collections", ["collected_at"])
    op.create_index(op.f("ix_city_waste_collections_status"), "city_waste_collections", ["status"])


def downgrade():
    op.drop_index(op.f("ix_city_waste_collections_status"), table_name="city_waste_collections")
    op.drop_index(op.f("ix_city_waste_collections_collected_at"), table_name="city_waste_collections")
    op.drop_index(op.f("ix_city_waste_collections_bin_id"), table_name="city_waste_collections")
    op.drop_table("city_waste_collections")
    op.drop_index(op.f("ix_city_traffic_incidents_status"), table_name="city_traffic_incidents")
    op.drop_index(op.f("ix_city_traffic_incidents_segment_id"), table_name="city_traffic_incidents")
    op.drop_table("city_traffic_incidents")
    op.drop_index(op.f("ix_city_junction_approaches_junction_id"), table_name="city_junction_approaches")
    op.drop_table("city_junction_approaches")
    op.drop_index(op.f("ix_city_waste_bins_zone"), table_name="city_waste_bins")
    op.drop_table("city_waste_bins")
    op.drop_index(op.f("ix_city_road_segments_zone"), table_name="city_road_segments")
    op.drop_index(op.f("ix_city_road_segments_to_node_id"), table_name="city_road_segments")
    op.drop_index(op.f("ix_city_road_segments_sensor_id"), table_name="city_road_segments")
    op.drop_index(op.f("ix_city_road_segments_from_node_id"), table_name="city_road_segments")
    op.drop_table("city_road_segments")
    op.drop_table("city_latest_readings")
    op.drop_index(op.f("ix_city_feeders_zone"), table_name="city_feeders")
    op.drop_table("city_feeders")
    op.drop_index(op.f("ix_city_sensors_zone"), table_name="city_sensors")
    op.drop_index(op.f("ix_city_sensors_kind"), table_name="city_sensors")
    op.drop_index(op.f("ix_city_sensors_device_id"), table_name="city_sensors")
    op.drop_table("city_sensors")
    op.drop_table("city_junctions")
    op.drop_index(op.f("ix_city_waste_route_plans_created_at"), table_name="city_waste_route_plans")
    op.drop_table("city_waste_route_plans")
    op.drop_table("city_road_nodes")
    op.drop_index("ix_city_readings_sensor_metric_at", table_name="city_readings")
    op.drop_index("ix_city_readings_at_brin", table_name="city_readings", postgresql_using="brin")
    op.drop_table("city_readings")
    op.drop_table("city_reading_hours")
    op.drop_table("city_air_zones")
