"""The overview screen in one call (SC-2, SC-8): KPIs of every domain, alerts, the week, the city now."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from app.core.timeutil import local_today


def _alert_summary() -> dict:
    from app.alerts import service as alerts

    active = alerts.active_alert_views()
    by_severity = Counter(a["severity"] for a in active)
    return {"active": len(active), "by_severity": {s: by_severity.get(s, 0) for s in ("info", "warning", "critical")},
            "latest": [{"id": a["id"], "severity": a["severity"], "title": a["title"], "scope": a["scope"],
                        "created_at": a["created_at"]} for a in active[:5]]}


def _weekly() -> list[dict]:
    """Each daily figure over the last 7 days against the 7 before."""
    from app.reports import service as reports

    today = local_today()
    series = reports.trends(date_from=today - timedelta(days=13), date_to=today)["series"]
    out = []
    for s in series:
        values = [float(p["value"] or 0) for p in s["points"]]
        before, week = sum(values[:7]), sum(values[7:])
        out.append({"name": s["name"], "title": s["title"], "domain": s["domain"], "unit": s["unit"],
                    "last_7_days": round(week, 1), "previous_7_days": round(before, 1),
                    "change_pct": round(100 * (week - before) / before, 1) if before else None})
    return out


def _city_now() -> dict:
    from app.city.service.energy import grids
    from app.city.service.environment import air_quality_overview
    from app.city.service.figures import active_traffic_incidents, bins_to_collect
    from app.city.service.traffic import congestion

    energy = grids()
    return {"air": [{k: z[k] for k in ("zone", "aqi", "category", "colour", "dominant_pollutant", "at")}
                    for z in air_quality_overview()],
            "traffic": {"levels": congestion()["summary"], "open_incidents": active_traffic_incidents()},
            "waste": {"bins_to_collect": bins_to_collect()},
            "energy": {k: energy[k] for k in ("total_load_kw", "total_capacity_kw", "load_pct", "renewable_share_pct")}
            | {"recommendations": len(energy["recommendations"])}}


def dashboard() -> dict:
    """KPIs across all domains (the KPI registry), the alert summary, weekly figures and the city right now."""
    from app.reports import service as reports

    return {"kpis": reports.kpis()["kpis"], "alerts": _alert_summary(), "weekly": _weekly(), "city": _city_now()}
