"""The signs migration builds exactly the models' tables and seeds the 17 default templates (CA-5)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.extensions import db
from app.signs import service

SIGNS_TABLES = {"signs", "sign_samples", "sign_templates", "sign_messages", "sign_overrides", "sign_deliveries",
                "sign_submissions", "sign_subscribers", "sign_notices"}


def _table(diff) -> str | None:
    item = diff[0] if isinstance(diff, list) else diff
    for part in item[1:]:
        name = getattr(part, "name", None) if not isinstance(part, str) else part
        table = getattr(part, "table", None)
        if table is not None:
            return table.name
        if name in SIGNS_TABLES:
            return name
    return None


def test_models_and_migration_agree():
    context = MigrationContext.configure(db.session.connection(), opts={"compare_type": False})
    diff = [d for d in compare_metadata(context, db.metadata) if _table(d) in SIGNS_TABLES]
    assert diff == [], diff


def test_the_17_default_templates_are_seeded():  # CA-5
    templates = service.list_templates()
    defaults = {t["slug"]: t for t in templates if t["is_default"]}
    assert len(defaults) == 17
    assert set(defaults) == {
        "emergency_evacuation", "emergency_shelter", "emergency_medical", "weather_current", "weather_lightning",
        "weather_heat", "schedule_now_playing", "schedule_starting_soon", "traffic", "parking",
        "wayfinding_restrooms", "wayfinding_first_aid", "crowd_alert", "attendee_lost", "attendee_found",
        "attendee_meetup", "sponsor"}
    assert defaults["crowd_alert"]["placeholders"] == ["zone", "density", "alternative"]
    assert set(defaults["emergency_evacuation"]["translations"]) == {"hi", "gu"}
    assert defaults["emergency_evacuation"]["priority"] > defaults["sponsor"]["priority"]


def test_the_catalogue_and_the_migration_hold_the_same_defaults():  # CA-5
    import importlib.util
    from pathlib import Path

    from app.signs.catalogue import DEFAULT_TEMPLATES

    path = Path(__file__).resolve().parents[2] / "migrations" / "versions" / "0011_signs.py"
    spec = importlib.util.spec_from_file_location("signs_migration", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert migration.DEFAULT_TEMPLATES == DEFAULT_TEMPLATES and len(DEFAULT_TEMPLATES) == 17
