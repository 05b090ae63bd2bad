"""Sangam with the city blueprint for the city benchmarks (a no-op once create_app registers the domain)."""

from importlib import import_module

from app import create_app
from app.extensions import api

application = create_app()
if "city" not in application.blueprints:
    import_module("app.city.models")
    api.register_blueprint(import_module("app.city.api").blp)
app = application
