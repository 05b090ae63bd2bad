"""Alerts for the city, a temple or one zone (PW-15)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.timeutil import utcnow
from app.core.types import UTCDateTime
from app.extensions import db


class Alert(db.Model):
    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(10))  # city | temple | zone
    temple_id: Mapped[int | None] = mapped_column(Integer, index=True)
    temple: Mapped[str | None] = mapped_column(String(64))  # slug, kept for display
    zone: Mapped[str | None] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(10), index=True)  # info | warning | critical
    title: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(10), default="active", index=True)  # active | cancelled
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_by_label: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def active(self) -> bool:
        """In force now: neither cancelled nor expired."""
        return self.status == "active" and (self.expires_at is None or self.expires_at > utcnow())
