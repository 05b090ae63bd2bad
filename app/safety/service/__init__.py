"""The safety domain's public interface: one function per use case (other domains import only this).

Incidents and SOS (incidents, timeline, linking, history), units and dispatch, responders and
escalation, public warnings, workplace health & safety (procedures, inspections, registers,
compliance), statistics, export rows and KPI figures.
"""

from app.safety.service.broadcasts import broadcast_view, list_broadcasts, send_broadcast
from app.safety.service.compliance import compliance_report, send_compliance_digest
from app.safety.service.dispatch import dispatch_unit, fitting_kinds, unit_arrived, unit_released
from app.safety.service.figures import (
                                        hazard_rows,
                                        incident_rows,
                                        incidents_reported,
                                        inspection_rows,
                                        open_high_risks,
                                        open_incidents,
                                        sos_raised,
                                        training_rows,
                                        training_state,
                                        units_available,
)
from app.safety.service.history import record_past_incident
from app.safety.service.incidents import (
                                        acknowledge_incident,
                                        active_incidents,
                                        emergency_snapshot,
                                        incident_for,
                                        list_incidents,
                                        report_incident,
                                        report_sos,
                                        resolve_incident,
                                        start_incident,
)
from app.safety.service.inspections import (
                                        close_corrective_action,
                                        create_inspection,
                                        get_inspection,
                                        list_corrective_actions,
                                        list_inspections,
                                        record_results,
)
from app.safety.service.linking import on_alert_created, on_environment_alert, on_lot_full, on_zone_critical
from app.safety.service.procedures import create_procedure, get_procedure, list_procedures
from app.safety.service.registers import (
                                        create_hazard,
                                        get_hazard,
                                        list_hazards,
                                        list_trainings,
                                        record_training,
                                        risk_band,
                                        update_hazard,
)
from app.safety.service.responders import escalate_unacknowledged
from app.safety.service.stats import incident_stats, stats_chart
from app.safety.service.timeline import get_incident
from app.safety.service.units import create_unit, get_unit, list_units, record_position, update_unit

__all__ = [
    "acknowledge_incident", "active_incidents", "broadcast_view", "close_corrective_action", "compliance_report",
    "create_hazard", "create_inspection", "create_procedure", "create_unit", "dispatch_unit", "emergency_snapshot",
    "escalate_unacknowledged", "fitting_kinds", "get_hazard", "get_incident", "get_inspection", "get_procedure",
    "get_unit", "hazard_rows", "incident_for", "incident_rows", "incident_stats", "incidents_reported",
    "inspection_rows", "list_broadcasts", "list_corrective_actions", "list_hazards", "list_incidents",
    "list_inspections", "list_procedures", "list_trainings", "list_units", "on_alert_created",
    "on_environment_alert", "on_lot_full", "on_zone_critical", "open_high_risks", "open_incidents",
    "record_past_incident", "record_position", "record_results", "record_training", "report_incident", "report_sos",
    "resolve_incident", "risk_band", "send_broadcast", "send_compliance_digest", "sos_raised", "start_incident",
    "stats_chart", "training_rows", "training_state", "unit_arrived", "unit_released", "units_available",
    "update_hazard", "update_unit",
]
