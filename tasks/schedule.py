"""Celery beat schedule, in the city's time zone (Asia/Kolkata). Run exactly one beat.

Every job here is idempotent anyway (a duplicate beat must not double-send).
"""

from __future__ import annotations

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "housekeeping": {"task": "tasks.housekeeping.run", "schedule": crontab(hour=3, minute=30)},
    "scheduled-reports": {"task": "tasks.exports.run_due_schedules", "schedule": crontab(minute="*/5")},
    "temples-booking-reminders": {"task": "tasks.temples.send_booking_reminders",
                                  "schedule": crontab(minute="*/10")},
    "temples-maintenance-due": {"task": "tasks.temples.remind_maintenance_due",
                                "schedule": crontab(hour=8, minute=0)},
    "parking-daily-reminder": {"task": "tasks.parking.send_daily_reminders",
                               "schedule": crontab(hour=18, minute=0)},
    "parking-monthly-report": {"task": "tasks.parking.send_monthly_reports",
                               "schedule": crontab(day_of_month=1, hour=9, minute=0)},
}
