"""Export jobs and report schedules."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.types import UTCDateTime
from app.extensions import db


class ExportJob(db.Model):
    """An export, or a custom report (``kind="report"``: a title and a spec of group_by, metrics, period).

    Both run through the same outbox pipeline (``app/reports/service/exports.py``).
    """

    __tablename__ = "export_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    dataset: Mapped[str] = mapped_column(String(40))
    format: Mapped[str] = mapped_column(String(5))
    filters: Mapped[dict | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    rows: Mapped[int | None] = mapped_column(Integer)
    file_name: Mapped[str | None] = mapped_column(String(160))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    enqueued_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    kind: Mapped[str] = mapped_column(String(10), default="export", server_default="export", index=True)
    title: Mapped[str | None] = mapped_column(String(160))
    spec: Mapped[dict | None] = mapped_column(JSON)


class ReportSchedule(db.Model):
    """A report sent on a cron schedule to e-mail addresses and chat webhooks."""

    __tablename__ = "report_schedules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # a dataset name, "custom" or "comprehensive"
    format: Mapped[str] = mapped_column(String(5), default="pdf")
    cron: Mapped[str] = mapped_column(String(100))
    recipients: Mapped[dict] = mapped_column(JSON)
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    spec: Mapped[dict | None] = mapped_column(JSON)  # the custom report spec, or {period} of the comprehensive
    period_key: Mapped[str | None] = mapped_column(String(12))  # the cron time last claimed, YYYYMMDDHHMM local


class DashboardLayout(db.Model):
    """A user's own widget layout of one dashboard (others keep the default)."""

    __tablename__ = "dashboard_layouts"
    __table_args__ = (UniqueConstraint("user_id", "slug", name="uq_dashboard_layouts_user_id_slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(20))
    widgets: Mapped[list] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
