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


def tidy_spec(api) -> None:
    """Make the OpenAPI document say what the API sends (called after ``api.init_app``).

    - Money fields are two-place strings, not numbers.
    - ``X-Pagination`` carries JSON in a string; flask-smorest documents it as an object, which
      header style ``simple`` would read as comma-separated key/value pairs.
    """
    from app.core.schemas import MoneyField

    api.register_field(MoneyField, "string", "decimal")
    pagination = {"description": "Pagination metadata, JSON: {total, total_pages, first_page, last_page, page, "
                                 "previous_page?, next_page?}",
                  "schema": {"type": "string"}}
    components = api.spec.components
    (components.headers if "PAGINATION" in components.headers else components.headers_lazy)["PAGINATION"] = pagination


def tidy_schemas(api) -> None:
    """After every blueprint is registered: a PATCH body (``ChangeSchema``) documents that it names a change."""
    from app.core.schemas import ChangeSchema

    for key, name in api.ma_plugin.converter.refs.items():
        if isinstance(key[0], type) and issubclass(key[0], ChangeSchema):
            api.spec.components.schemas[name]["minProperties"] = 1
