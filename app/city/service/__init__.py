"""The city domain's public interface: other domains, tasks and the API call only these."""

from app.city.service.collections import analytics as waste_analytics
from app.city.service.collections import (
                                      cancel_collection,
                                      complete_collection,
                                      get_collection,
                                      list_collections,
                                      record_collection,
)
from app.city.service.conditions import summaries as environment_summaries
from app.city.service.dashboard import dashboard
from app.city.service.energy import consumption as energy_consumption
from app.city.service.energy import create_feeder
from app.city.service.energy import grids as energy_grids
from app.city.service.energy import peak_forecast as energy_forecast
from app.city.service.environment import air_quality_overview, air_zones, evaluate_zones, zone_air_quality
from app.city.service.environment import trends as environment_trends
from app.city.service.exports import collection_rows, incident_rows, reading_rows
from app.city.service.figures import (
                                      active_traffic_incidents,
                                      bins_to_collect,
                                      congested_segments,
                                      feeders_high,
                                      incidents_per_day,
                                      waste_kg_per_day,
                                      worst_aqi,
)
from app.city.service.incidents import emergency_route, get_incident, list_incidents, report_incident, update_incident
from app.city.service.ingest import Submission, check_batch_size, ingest_readings, ingest_submissions
from app.city.service.live import MODULES, module_snapshot
from app.city.service.sensors import create_sensor, get_sensor, list_sensors, sensor_view, sensor_views
from app.city.service.series import roll_up_expired, sensor_series
from app.city.service.traffic import congestion, list_junctions, peak_hours, predictions, signal_plan
from app.city.service.waste import (
                                      create_bin,
                                      get_bin,
                                      get_plan,
                                      latest_plan,
                                      list_bins,
                                      plan_collection_routes,
                                      plan_view,
                                      update_bin,
)

__all__ = [
    "cancel_collection",
    "dashboard", "collection_rows", "incident_rows", "reading_rows",
    "active_traffic_incidents", "bins_to_collect", "congested_segments", "feeders_high", "incidents_per_day",
    "waste_kg_per_day", "worst_aqi",
    "MODULES", "module_snapshot",
    "Submission", "air_quality_overview", "air_zones", "check_batch_size", "complete_collection", "congestion",
    "create_bin",
    "create_feeder", "create_sensor", "emergency_route", "energy_consumption", "energy_forecast", "energy_grids",
    "environment_summaries", "environment_trends", "evaluate_zones", "get_bin", "get_collection", "get_incident",
    "get_plan", "get_sensor", "ingest_readings", "ingest_submissions", "latest_plan", "list_bins",
    "list_collections", "list_incidents", "list_sensors", "list_junctions", "peak_hours", "plan_collection_routes",
    "plan_view",
    "predictions", "record_collection", "report_incident", "roll_up_expired", "sensor_series", "sensor_view",
    "sensor_views", "signal_plan", "update_bin", "update_incident", "waste_analytics", "zone_air_quality",
]
