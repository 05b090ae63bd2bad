"""Reports errors."""

from app.core.errors import Conflict, NotFound


class ExportNotFound(NotFound):
    message = "No export with this id."


class ExportNotReady(Conflict):
    """The export is still queued or running (or failed)."""

    error, message = "export_not_ready", "The export is not ready for download."


class ExportExpired(NotFound):
    """The export's file has expired and was deleted."""

    error, message = "export_expired", "The export has expired."


class ScheduleNotFound(NotFound):
    message = "No schedule with this id."


class ReportNotFound(NotFound):
    message = "No report with this id."


class DashboardNotFound(NotFound):
    message = "No dashboard with this slug."
