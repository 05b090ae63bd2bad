"""The OpenAPI document (PW-21): valid, every operation documented, and telling the truth about auth."""

import re

import pytest
from openapi_spec_validator import validate

METHODS = {"get", "post", "put", "patch", "delete"}
# Auth runs before body parsing everywhere: an anonymous request with a bad body is 401, not 422.
BODY_ENDPOINTS = {("post", "/api/v1/bookings"), ("post", "/api/v1/parking/reservations")}


@pytest.fixture(scope="module")
def spec(app):
    return app.test_client().get("/api/openapi.json").get_json()


def operations(spec):
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield path, method, op


def concrete(path: str) -> str:
    """Fill path parameters with a value their converter accepts (public codes look like SOM-7K3Q9X)."""
    return re.sub(r"\{[^}]+\}", "1", path.replace("{code}", "SOM-7K3Q9X"))


def test_spec_validates(spec):
    validate(spec)
    assert {"bearerAuth", "deviceKey"} <= set(spec["components"]["securitySchemes"])


def doc_problems(op: dict) -> list[str]:
    """What an operation's documentation lacks."""
    responses, problems = op.get("responses", {}), []
    if not op.get("summary"):
        problems.append("no summary")
    if not any(code.startswith("2") for code in responses):
        problems.append("no success response")
    if op.get("security") and "401" not in responses:
        problems.append("needs auth but documents no 401")
    who = op.get("description", "").partition("**Who:**")[2]
    if who and "any logged-in user" not in who and "403" not in responses:
        problems.append("restricted to roles but documents no 403")
    if (op.get("requestBody") or op.get("parameters")) and "422" not in responses:
        problems.append("takes input but documents no 422")
    return problems


def test_every_operation_has_a_summary_and_documents_its_errors(spec):
    problems = [f"{method.upper()} {path}: {problem}"
                for path, method, op in operations(spec) for problem in doc_problems(op)]
    assert not problems, "\n".join(problems)


def test_operations_without_security_are_public_and_with_it_refuse_anonymous(spec, client):
    """Call every operation without credentials: 401 exactly when the spec says it needs auth."""
    wrong = []
    for path, method, op in operations(spec):
        response = getattr(client, method)(concrete(path), json={} if method in {"post", "put", "patch"} else None)
        protected = bool(op.get("security"))
        if protected and response.status_code != 401:
            wrong.append(f"{method.upper()} {path}: documented as protected, answered {response.status_code}")
        if not protected and response.status_code in (401, 403):
            wrong.append(f"{method.upper()} {path}: documented as public, answered {response.status_code}")
        assert response.is_json or response.status_code < 400, f"{method.upper()} {path}: non-JSON error"
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(("method", "path"), sorted(BODY_ENDPOINTS))
def test_anonymous_with_a_bad_body_is_401_not_422(client, method, path):
    assert getattr(client, method)(path, json={}).status_code == 401


def test_money_and_pagination_are_documented_as_sent(spec, client, auth_headers):  # found by fuzzing the spec
    lot = spec["components"]["schemas"]["Lot"]["properties"]["price_per_hour"]
    assert lot["type"] == "string" and lot["format"] == "decimal"
    assert spec["components"]["headers"]["PAGINATION"]["schema"] == {"type": "string"}
    admin = auth_headers("admin")
    made = client.post("/api/v1/parking/lots", headers=admin, json={
        "name": "Gate 2", "address": "Temple Road", "pin_code": "362268", "price_per_hour": 20, "total_spots": 2})
    assert re.fullmatch(lot["pattern"], made.get_json()["price_per_hour"])  # "20.00", a string
    listed = client.get("/api/v1/users", headers=admin)
    assert isinstance(listed.headers["X-Pagination"], str) and '"total": 1' in listed.headers["X-Pagination"]


def test_patch_bodies_document_that_they_name_a_change(spec):
    patch_bodies = {op["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
                    for _path, method, op in operations(spec) if method == "patch"}
    assert patch_bodies >= {"ProfileUpdate", "UserUpdate"}
    assert all(spec["components"]["schemas"][name].get("minProperties") == 1 for name in patch_bodies)


def test_ids_and_pages_are_bounded_like_the_database(spec, client):
    """Found by fuzzing: ids and page numbers beyond int32 overflowed the database."""
    for path, method, op in operations(spec):
        for param in op.get("parameters", []) + spec["paths"][path].get("parameters", []):
            if param.get("schema", {}).get("type") == "integer" and (param["in"] == "path" or param["name"] == "page"):
                assert param["schema"]["maximum"] == 2**31 - 1, (method, path, param["name"])
    assert client.post("/api/v1/alerts/2147483648/cancel").status_code == 404


def test_check_in_is_not_mistaken_for_a_booking_code(client):
    allowed = client.options("/api/v1/bookings/check-in").headers["Allow"]
    assert "POST" in allowed and "GET" not in allowed


# API.md "Errors": the machine codes clients rely on, with their statuses (copied here: CI runs without ../shared).
API_MD_CODES = {"validation_error": 422, "unauthorized": 401, "token_expired": 401, "token_revoked": 401,
                "forbidden": 403, "not_found": 404, "conflict": 409, "slot_full": 409, "lot_full": 409,
                "already_active": 409, "ticket_used": 409, "invalid_token": 400, "rate_limited": 429,
                "invalid_transition": 409, "no_unit_available": 409, "idempotency_mismatch": 409, "no_face": 422,
                "several_faces": 422, "biometrics_unavailable": 503}


def test_machine_codes_come_from_one_registry_that_the_spec_and_api_md_agree_with(spec):
    from app.core.errors import CODES

    assert {code: CODES[code][0] for code in API_MD_CODES if code in CODES} == API_MD_CODES  # every one, same status
    assert spec["components"]["schemas"]["Error"]["properties"]["error"]["enum"] == sorted(CODES)
