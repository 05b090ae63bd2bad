"""Serve Swagger UI's assets from the installed swagger-ui-bundle (docs work offline)."""

from __future__ import annotations

from flask import Flask, send_from_directory

ASSETS_URL = "/api/docs/assets/"


def init_docs(app: Flask) -> None:
    """Point flask-smorest's Swagger UI at locally served assets unless a URL was configured."""
    from swagger_ui_bundle import swagger_ui_path

    if not app.config.get("OPENAPI_SWAGGER_UI_URL"):
        app.config["OPENAPI_SWAGGER_UI_URL"] = ASSETS_URL

    def swagger_assets(filename: str):
        return send_from_directory(swagger_ui_path, filename, max_age=86400)

    app.add_url_rule(ASSETS_URL + "<path:filename>", "swagger_assets", swagger_assets)
