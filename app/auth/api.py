"""Auth endpoints: /auth/*, /users, /devices (API.md "auth")."""

from __future__ import annotations

from flask import current_app, request
from flask_jwt_extended import get_current_user, get_jwt, jwt_required

from app.auth import schemas as s
from app.auth import service
from app.core.context import Actor, set_actor
from app.core.pagination import PAGINATION, paginate
from app.core.parsing import Blueprint
from app.core.security import ADMIN, login_required, roles_required
from app.extensions import limiter

blp = Blueprint("auth", __name__, url_prefix="/api/v1", description="Accounts, sessions, staff and device keys")


def auth_limit() -> str:
    return current_app.config["RATELIMIT_AUTH"]


def account_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN_ACCOUNT"]


def login_account() -> str:
    """The per-account throttle's key: the e-mail being tried, whatever address the tries come from."""
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    return f"login:{str(email).strip().lower()[:254]}" if email else "login:?"


@blp.route("/auth/register", methods=["POST"])
@limiter.limit(auth_limit)
@blp.arguments(s.RegisterSchema)
@blp.response(201, s.UserSchema)
@blp.alt_response(409, response="CONFLICT")
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
def register(data):
    """Create a pilgrim/citizen account (role `user`)."""
    return service.register_user(**data)


@blp.route("/auth/login", methods=["POST"])
@limiter.limit(auth_limit)
@limiter.limit(account_limit, key_func=login_account, deduct_when=lambda response: response.status_code == 401)
@blp.arguments(s.LoginSchema)
@blp.response(200, s.LoginResultSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
@blp.alt_response(429, response="TOO_MANY_REQUESTS")
def login(data):
    """Exchange e-mail and password for an access and a refresh token (a new session)."""
    return service.login(**data, device=request.user_agent.string, ip=request.remote_addr)


@blp.route("/auth/refresh", methods=["POST"])
@jwt_required(refresh=True)
@blp.response(200, s.TokenPairSchema)
@blp.alt_response(401, response="UNAUTHORIZED")
@blp.doc(security=[{"bearerAuth": []}])
def refresh():
    """Rotate the refresh token (send it as the Bearer token): the used one is revoked."""
    user = get_current_user()
    set_actor(Actor("user", user.id, user.email))
    return service.rotate_refresh(user=user, refresh_claims=get_jwt())


@blp.route("/auth/logout", methods=["POST"])
@login_required
@blp.response(204)
def logout():
    """Revoke this access token and the refresh token issued with it."""
    service.logout(user=get_current_user(), access_claims=get_jwt())


@blp.route("/auth/me", methods=["GET"])
@login_required
@blp.response(200, s.UserSchema)
def me():
    """Return the caller's profile."""
    return get_current_user()


@blp.route("/auth/me", methods=["PATCH"])
@login_required
@blp.arguments(s.ProfileUpdateSchema)
@blp.response(200, s.UserSchema)
def update_me(data):
    """Update the caller's name, phone or reminder preference."""
    return service.update_profile(user=get_current_user(), values=data)


@blp.route("/auth/me/password", methods=["POST"])
@login_required
@blp.arguments(s.PasswordChangeSchema)
@blp.response(204)
def change_password(data):
    """Change the caller's password (the current one is required)."""
    service.change_password(user=get_current_user(), **data)


@blp.route("/auth/sessions", methods=["GET"])
@login_required
@blp.arguments(s.SessionQuerySchema, location="query")
@blp.response(200, s.SessionSchema(many=True))
def list_sessions(query):
    """My open sessions (one per login), newest first; admins may ask for another user's (`user_id`)."""
    return service.list_sessions(user=get_current_user(), user_id=query.get("user_id"))


@blp.route("/auth/sessions/<int:session_id>", methods=["DELETE"])
@login_required
@blp.response(204)
@blp.alt_response(404, response="NOT_FOUND")
def end_session(session_id):
    """End a session (mine, or any for admins): its access and refresh tokens stop working at once."""
    service.end_session(user=get_current_user(), session_id=session_id)


@blp.route("/users", methods=["GET"])
@roles_required(ADMIN)
@blp.arguments(s.UserQuerySchema, location="query")
@blp.response(200, s.UserSchema(many=True))
@blp.paginate(**PAGINATION)
def list_users(query, pagination_parameters):
    """List accounts, filtered by role, active flag or a search text."""
    return paginate(service.list_users(**query), pagination_parameters)


@blp.route("/users", methods=["POST"])
@roles_required(ADMIN)
@blp.arguments(s.StaffCreateSchema)
@blp.response(201, s.UserSchema)
@blp.alt_response(409, response="CONFLICT")
def create_user(data):
    """Create a staff account with a role."""
    return service.register_user(**data)


@blp.route("/users/<int:user_id>", methods=["GET"])
@roles_required(ADMIN)
@blp.response(200, s.UserSchema)
@blp.alt_response(404, response="NOT_FOUND")
def get_user(user_id):
    """Return one account."""
    return service.get_user(user_id)


@blp.route("/users/<int:user_id>", methods=["PATCH"])
@roles_required(ADMIN)
@blp.arguments(s.UserUpdateSchema)
@blp.response(200, s.UserSchema)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def update_user(data, user_id):
    """Change a user's role, name, phone or active flag."""
    return service.admin_update_user(admin=get_current_user(), user_id=user_id, values=data)


@blp.route("/users/<int:user_id>", methods=["DELETE"])
@roles_required(ADMIN)
@blp.response(204)
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT")
def deactivate_user(user_id):
    """Deactivate an account (kept for history); its tokens stop working at once."""
    service.deactivate_user(admin=get_current_user(), user_id=user_id)


@blp.route("/devices", methods=["GET"])
@roles_required(ADMIN)
@blp.response(200, s.DeviceSchema(many=True))
def list_devices():
    """List active devices (keys are never shown again)."""
    return service.list_devices()


@blp.route("/devices", methods=["POST"])
@roles_required(ADMIN)
@blp.arguments(s.DeviceCreateSchema)
@blp.response(201, s.DeviceCreatedSchema)
def create_device(data):
    """Register a device and return its key, shown this once only."""
    device, key = service.create_device(**data)
    return {"id": device.id, "name": device.name, "kind": device.kind, "key_prefix": device.key_prefix,
            "created_at": device.created_at, "key": key}


@blp.route("/devices/<int:device_id>", methods=["DELETE"])
@roles_required(ADMIN)
@blp.response(204)
@blp.alt_response(404, response="NOT_FOUND")
def revoke_device(device_id):
    """Revoke a device key."""
    service.revoke_device(device_id=device_id)
