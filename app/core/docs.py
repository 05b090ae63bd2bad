"""Serve the docs pages' scripts from installed packages, so /api/docs and /api/redoc work offline.

Swagger UI comes from swagger-ui-bundle; ReDoc's standalone bundle from flask-redoc's package data
(only the file is used: the package is never imported).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from flask import Flask, send_from_directory

ASSETS_URL = "/api/docs/assets/"
REDOC_ASSET = "/api/redoc/assets/redoc.standalone.js"


def _redoc_dir() -> Path | None:
    spec = importlib.util.find_spec("flask_redoc")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "static" / "js"
    return folder if (folder / "redoc.standalone.js").is_file() else None


def init_docs(app: Flask) -> None:
    """Point flask-smorest's Swagger UI and ReDoc at locally served scripts unless URLs were configured."""
    from swagger_ui_bundle import swagger_ui_path

    if not app.config.get("OPENAPI_SWAGGER_UI_URL"):
        app.config["OPENAPI_SWAGGER_UI_URL"] = ASSETS_URL

    def swagger_assets(filename: str):
        return send_from_directory(swagger_ui_path, filename, max_age=86400)

    app.add_url_rule(ASSETS_URL + "<path:filename>", "swagger_assets", swagger_assets)

    redoc_dir = _redoc_dir()
    if not app.config.get("OPENAPI_REDOC_URL") and redoc_dir is not None:
        app.config["OPENAPI_REDOC_URL"] = REDOC_ASSET

        def redoc_asset():
            return send_from_directory(redoc_dir, "redoc.standalone.js", max_age=86400)

        app.add_url_rule(REDOC_ASSET, "redoc_asset", redoc_asset)


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
    """After every blueprint is registered: PATCH bodies name a change; ``Error.error`` lists every machine code.

    The enum is ``app.core.errors.CODES``: the generic codes and every domain error class.
    """
    from app.core.errors import CODES
    from app.core.schemas import ChangeSchema, ErrorSchema

    for path, operations in api.spec._paths.items():  # `.png` routes answer a picture, not JSON
        if path.endswith(".png"):
            for operation in (o for o in operations.values() if isinstance(o, dict)):
                ok = operation.get("responses", {}).get("200")
                if isinstance(ok, dict):
                    ok["content"] = {"image/png": {"schema": {"type": "string", "format": "binary"}}}

    for key, name in api.ma_plugin.converter.refs.items():
        if isinstance(key[0], type) and issubclass(key[0], ChangeSchema):
            api.spec.components.schemas[name]["minProperties"] = 1
        if key[0] is ErrorSchema or isinstance(key[0], ErrorSchema):
            error = api.spec.components.schemas[name]["properties"]["error"]
            error["enum"] = sorted(CODES)
            error["description"] = "; ".join(f"`{c}` {s}" for c, (s, _d) in sorted(CODES.items()))
