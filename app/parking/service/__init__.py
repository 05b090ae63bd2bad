"""The parking domain's public interface (VP-2 … VP-10): one function per use case.

Feature modules: ``lots`` (lots and spots), ``allocation`` (claiming spots), ``reservations``
(park, release, cost), ``stats`` (figures), ``reminders`` (VP-8), ``monthly`` (VP-9), ``figures``.
"""

from app.parking.service.figures import cars_parked, occupancy_pct, reservation_rows, revenue
from app.parking.service.lots import (
    create_lot,
    delete_lot,
    get_lot,
    list_lots,
    lot_detail,
    lot_spots,
    parking_snapshot,
    update_lot,
)
from app.parking.service.monthly import send_monthly_reports
from app.parking.service.reminders import send_daily_reminders
from app.parking.service.reservations import (
    billed_hours,
    get_reservation,
    my_active,
    my_reservations,
    parking_cost,
    release,
    reserve,
)
from app.parking.service.stats import admin_stats, my_stats, recent_activity

__all__ = ["admin_stats", "billed_hours", "cars_parked", "create_lot", "delete_lot", "get_lot", "get_reservation",
           "list_lots", "lot_detail", "lot_spots", "my_active", "my_reservations", "my_stats", "occupancy_pct",
           "parking_cost", "parking_snapshot", "recent_activity", "release", "reservation_rows", "reserve", "revenue",
           "send_daily_reminders", "send_monthly_reports", "update_lot"]
