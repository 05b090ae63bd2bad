"""The auth domain's public interface: accounts, sessions and tokens, devices."""

from app.auth.service.accounts import (
    active_users,
    admin_update_user,
    authenticate,
    change_password,
    count_users,
    deactivate_user,
    find_user_by_email,
    get_user,
    list_users,
    register_user,
    registrations_per_day,
    set_admin,
    update_profile,
    users_by_role,
    users_for_export,
)
from app.auth.service.devices import create_device, get_device, list_devices, resolve_device_key, revoke_device
from app.auth.service.sessions import (
    end_all_sessions,
    end_session,
    issue_tokens,
    list_sessions,
    login,
    logout,
    purge_old_sessions,
    rotate_refresh,
    token_principal,
)

__all__ = ["active_users", "admin_update_user", "authenticate", "change_password", "count_users", "create_device",
           "deactivate_user", "end_all_sessions", "end_session", "find_user_by_email", "get_device", "get_user",
           "issue_tokens", "list_devices", "list_sessions", "list_users", "login", "logout", "purge_old_sessions",
           "register_user", "registrations_per_day", "resolve_device_key", "revoke_device", "rotate_refresh",
           "set_admin", "token_principal", "update_profile", "users_by_role", "users_for_export"]
