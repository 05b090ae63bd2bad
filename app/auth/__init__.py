"""Users, roles, tokens and device keys (PW-1, SC-1, VP-1, VP-4, PW-19, CR-6)."""

from app.core.domain import Domain

DOMAIN = Domain(
    name="auth",
    title="Accounts",
    hooks={"token_principal": "service:token_principal", "device_resolver": "service:resolve_device_key"},
)
