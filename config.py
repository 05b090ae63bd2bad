"""Sangam settings, read only from the environment.

Two modes, chosen by the environment alone:

* **embedded** (no ``DATABASE_URL``): SQLite under ``instance/``, in-process cache and
  rate-limit storage, Celery tasks run eagerly, Socket.IO in one process.
* **production** (``DATABASE_URL`` set): PostgreSQL, and when ``REDIS_URL`` is set Redis for
  the cache, the rate limiter, the Celery broker and the Socket.IO message queue.

Production refuses to start with a missing or well-known secret.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("SANGAM_INSTANCE_DIR", BASE_DIR / "instance"))

WEAK_SECRETS = {"", "change-me", "changeme", "secret", "dev", "development", "test"}
SECRET_NAMES = ("SECRET_KEY", "JWT_SECRET_KEY")


class ConfigError(SystemExit):
    """Raised when the environment cannot make a safe configuration.

    A ``SystemExit``: gunicorn, ``flask`` and celery stop with this one line (exit status 1)
    instead of a traceback.
    """

    def __init__(self, message: str):
        super().__init__(f"Sangam configuration error: {message}")


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no variable (1/true/yes/on)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    """Read an integer variable, naming the variable when it is not a number."""
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {value!r}") from exc


def env_float(name: str, default: float) -> float:
    """Read a number of seconds (or any decimal), naming the variable when it is not a number."""
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return float(value)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a number, got {value!r}") from exc


def normalise_database_url(url: str) -> str:
    """Map the URLs people type to the driver requirements.txt installs (psycopg 3)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def embedded_secret(name: str) -> str:
    """Return a random secret kept under instance/ so embedded tokens survive restarts."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / f".{name.lower()}"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def with_redis_db(url: str, db: int) -> str:
    """Point a redis:// URL at another database number (cache vs broker separation)."""
    base, _, tail = url.rpartition("/")
    if base.startswith("redis") and tail.isdigit():
        return f"{base}/{db}"
    return url


def build_config(overrides: dict | None = None) -> dict:
    """Build the settings dict for create_app from the environment plus overrides."""
    overrides = dict(overrides or {})
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    production = bool(database_url)
    cfg: dict = {
        "SANGAM_MODE": "production" if production else "embedded",
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url)
        or f"sqlite:///{INSTANCE_DIR / 'sangam.db'}",
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url),
        "REDIS_URL": redis_url or None,
        "CITY_TIMEZONE": os.environ.get("CITY_TIMEZONE", "Asia/Kolkata"),
        "JWT_ACCESS_TOKEN_EXPIRES_MINUTES": env_int("JWT_ACCESS_MINUTES", 15),
        "JWT_REFRESH_TOKEN_EXPIRES_DAYS": env_int("JWT_REFRESH_DAYS", 30),
        "CORS_ORIGINS": [o.strip() for o in os.environ.get("CORS_ORIGINS", "").split(",") if o.strip()],
        "MAX_CONTENT_LENGTH": env_int("MAX_CONTENT_LENGTH", 2 * 1024 * 1024),
        "RATELIMIT_DEFAULT": os.environ.get("RATELIMIT_DEFAULT", "300 per minute"),
        "RATELIMIT_AUTH": os.environ.get("RATELIMIT_AUTH", "10 per minute"),
        # failed logins per account (e-mail), from any address: stops a spread-out guessing attack
        "RATELIMIT_LOGIN_ACCOUNT": os.environ.get("RATELIMIT_LOGIN_ACCOUNT", "10 per 15 minutes"),
        "RATELIMIT_ENABLED": env_bool("RATELIMIT_ENABLED", True),
        "PASSWORD_HASH_TIME_COST": env_int("PASSWORD_HASH_TIME_COST", 2),
        "PASSWORD_HASH_MEMORY_KIB": env_int("PASSWORD_HASH_MEMORY_KIB", 19 * 1024),
        "EXPORT_DIR": os.environ.get("EXPORT_DIR", str(INSTANCE_DIR / "exports")),
        "EXPORT_RETENTION_DAYS": env_int("EXPORT_RETENTION_DAYS", 7),
        # The console's map: a tile URL template ({z}/{x}/{y}, optional {s}) and its attribution; empty (the
        # default) draws a plain background that needs no network. The tile server's origin joins the CSP.
        "CONSOLE_MAP_TILES": os.environ.get("CONSOLE_MAP_TILES", ""),
        "CONSOLE_MAP_ATTRIBUTION": os.environ.get("CONSOLE_MAP_ATTRIBUTION", ""),
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        "SMTP_HOST": os.environ.get("SMTP_HOST", ""),
        "SMTP_PORT": env_int("SMTP_PORT", 25),
        "SMTP_USER": os.environ.get("SMTP_USER", ""),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": env_bool("SMTP_STARTTLS", False),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Sangam <noreply@sangam.local>"),
        "NOTIFY_BACKOFF_SECONDS": env_float("NOTIFY_BACKOFF_SECONDS", 2.0),
        # The outbox: work left queued this long (broker down) is sent again; work running/sending this long
        # (its worker died) is re-queued, an export at most 3 times.
        "OUTBOX_RESEND_SECONDS": env_int("OUTBOX_RESEND_SECONDS", 120),
        "JOB_RUNNING_DEADLINE_SECONDS": env_int("JOB_RUNNING_DEADLINE_SECONDS", 1800),
        "SMS_PROVIDER": os.environ.get("SMS_PROVIDER", "log"),
        "SMS_API_URL": os.environ.get("SMS_API_URL", ""),
        "SMS_ACCOUNT_SID": os.environ.get("SMS_ACCOUNT_SID", ""),
        "SMS_AUTH_TOKEN": os.environ.get("SMS_AUTH_TOKEN", ""),
        "SMS_FROM": os.environ.get("SMS_FROM", ""),
        "CHAT_WEBHOOK_URLS": [u.strip() for u in os.environ.get("CHAT_WEBHOOK_URLS", "").split(",") if u.strip()],
        "ALERT_EMAILS": [u.strip() for u in os.environ.get("ALERT_EMAILS", "").split(",") if u.strip()],
        "ALERT_SMS": [u.strip() for u in os.environ.get("ALERT_SMS", "").split(",") if u.strip()],
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
        "LOG_JSON": env_bool("LOG_JSON", True),
        "LOG_REQUESTS": env_bool("LOG_REQUESTS", True),  # one JSON line per request (access log)
        # X-Forwarded-* is believed only from this many proxies in front, when set explicitly (compose: nginx = 1).
        # Reached directly, a spoofed X-Forwarded-For would otherwise dodge the per-address limits.
        "TRUSTED_PROXIES": env_int("TRUSTED_PROXIES", 0),
        "DEMO_PASSWORD": os.environ.get("DEMO_PASSWORD", ""),
        # --- safety settings ---
        # a critical incident still unacknowledged after this many minutes escalates (once)
        "SAFETY_ESCALATION_MINUTES": env_int("SAFETY_ESCALATION_MINUTES", 5),
        # the next contact list an escalation goes to (admins are always on it)
        "SAFETY_ESCALATION_EMAILS": [v.strip() for v in os.environ.get("SAFETY_ESCALATION_EMAILS", "").split(",")
                                    if v.strip()],
        "SAFETY_ESCALATION_SMS": [v.strip() for v in os.environ.get("SAFETY_ESCALATION_SMS", "").split(",")
                                 if v.strip()],
        # responders beyond the operators and safety officers (who are always notified)
        "SAFETY_RESPONDER_EMAILS": [v.strip() for v in os.environ.get("SAFETY_RESPONDER_EMAILS", "").split(",")
                                   if v.strip()],
        "SAFETY_RESPONDER_SMS": [v.strip() for v in os.environ.get("SAFETY_RESPONDER_SMS", "").split(",")
                                if v.strip()],
        # who receives a public warning by SMS (POST /safety/broadcasts with channel "sms")
        "SAFETY_BROADCAST_SMS": [v.strip() for v in os.environ.get("SAFETY_BROADCAST_SMS", "").split(",")
                                if v.strip()],
        # incidents this close in space and time are linked ("related")
        "SAFETY_LINK_RADIUS_M": env_int("SAFETY_LINK_RADIUS_M", 300),
        "SAFETY_LINK_WINDOW_MINUTES": env_int("SAFETY_LINK_WINDOW_MINUTES", 20),
        # compliance: trainings expiring within this many days are listed; corrective actions default due date
        "SAFETY_EXPIRING_DAYS": env_int("SAFETY_EXPIRING_DAYS", 30),
        "SAFETY_CORRECTIVE_ACTION_DAYS": env_int("SAFETY_CORRECTIVE_ACTION_DAYS", 7),
        # --- end safety ---
        # --- visitors settings ---
        # Passes open VISIT_EARLY_MINUTES before the expected time and last valid_hours after it
        # (default VISIT_DEFAULT_HOURS, at most VISIT_MAX_HOURS); a visitor still inside
        # VISIT_OVERSTAY_MINUTES after the pass ends gets their host one sign-out reminder.
        "VISIT_EARLY_MINUTES": env_int("VISIT_EARLY_MINUTES", 30),
        "VISIT_DEFAULT_HOURS": env_int("VISIT_DEFAULT_HOURS", 8),
        "VISIT_MAX_HOURS": env_int("VISIT_MAX_HOURS", 72),
        "VISIT_OVERSTAY_MINUTES": env_int("VISIT_OVERSTAY_MINUTES", 30),
        "VISIT_ARRIVAL_WEBHOOKS": [u.strip() for u in os.environ.get("VISIT_ARRIVAL_WEBHOOKS", "").split(",")
                                   if u.strip()],
        # Key for the hashes of identity numbers (block list matching); empty = SECRET_KEY.
        "VISITOR_ID_KEY": os.environ.get("VISITOR_ID_KEY", ""),
        # Face biometrics (needs requirements-biometrics.txt): dlib's threshold is 0.6.
        "FACE_BIOMETRICS_ENABLED": env_bool("FACE_BIOMETRICS_ENABLED", True),
        "FACE_MATCH_THRESHOLD": float(os.environ.get("FACE_MATCH_THRESHOLD") or 0.6),
        "FACE_IDENTIFY_LIMIT": env_int("FACE_IDENTIFY_LIMIT", 5),
        "FACE_MAX_SIDE": env_int("FACE_MAX_SIDE", 1024),
        "FACE_UPSAMPLE": env_int("FACE_UPSAMPLE", 0),
        "FACE_MAX_PIXELS": env_int("FACE_MAX_PIXELS", 40_000_000),
        "FACE_MAX_UPLOAD_BYTES": env_int("FACE_MAX_UPLOAD_BYTES", 8 * 1024 * 1024),
        # --- end visitors ---
        # --- city settings ---
        "READINGS_MAX_BATCH": env_int("READINGS_MAX_BATCH", 5000),  # readings per POST /city/readings or message
        "READINGS_RATE_LIMIT": os.environ.get("READINGS_RATE_LIMIT", "1200 per minute"),  # per device key
        "AQI_EVALUATE_SECONDS": env_int("AQI_EVALUATE_SECONDS", 60),  # a zone's AQI is recomputed at most this often
        "READING_RETENTION_DAYS": env_int("READING_RETENTION_DAYS", 90),  # raw readings, then hourly roll-ups
        "MQTT_URL": os.environ.get("MQTT_URL", "mqtt://127.0.0.1:1883"),
        "MQTT_TOPIC": os.environ.get("MQTT_TOPIC", "sangam/readings/+"),
        "MQTT_FLUSH_READINGS": env_int("MQTT_FLUSH_READINGS", 5000),  # write when this many readings wait …
        "MQTT_FLUSH_MS": env_int("MQTT_FLUSH_MS", 200),  # … or when the oldest has waited this long
        "MQTT_METRICS_PORT": env_int("MQTT_METRICS_PORT", 9108),  # the consumer's own /metrics (0: none)
        "SIGNAL_FLOW_WINDOW_MINUTES": env_int("SIGNAL_FLOW_WINDOW_MINUTES", 60),
        "WASTE_COLLECT_THRESHOLD_PCT": float(os.environ.get("WASTE_COLLECT_THRESHOLD_PCT", "75")),
        "WASTE_TRUCK_SPEED_KMH": float(os.environ.get("WASTE_TRUCK_SPEED_KMH", "20")),
        "WASTE_ROUTE_TIMEOUT_MS": env_int("WASTE_ROUTE_TIMEOUT_MS", 600),  # the solver stops searching then
        "WASTE_COST_PER_COLLECTION_INR": os.environ.get("WASTE_COST_PER_COLLECTION_INR", "450.00"),
        "FEEDER_HIGH_LOAD_PCT": float(os.environ.get("FEEDER_HIGH_LOAD_PCT", "80")),
        "FEEDER_TARGET_LOAD_PCT": float(os.environ.get("FEEDER_TARGET_LOAD_PCT", "70")),
        "GRID_EMISSION_FACTOR_KG_PER_KWH": float(os.environ.get("GRID_EMISSION_FACTOR_KG_PER_KWH", "0.727")),
        "GRID_EMISSION_FACTOR_SOURCE": os.environ.get(
            "GRID_EMISSION_FACTOR_SOURCE",
            "CEA CO2 Baseline Database for the Indian Power Sector v20.0 (Dec 2024): weighted average, FY 2023-24"),
        # --- end city ---
        # --- signs settings ---
        # a sign silent this long is marked offline (`sign_offline`); quiet for half of it, it is pinged
        "SIGN_OFFLINE_SECONDS": env_int("SIGN_OFFLINE_SECONDS", 90),
        # each web process serving signs sweeps this often: offline signs, override expiry, scheduled messages
        "SIGNS_SWEEP_SECONDS": env_int("SIGNS_SWEEP_SECONDS", 2),
        "SIGNS_SWEEPER": env_bool("SIGNS_SWEEPER", True),
        "SIGNS_SAMPLE_SECONDS": env_int("SIGNS_SAMPLE_SECONDS", 60),  # one heartbeat kept as history per interval
        "SIGNS_SAMPLE_RETENTION_DAYS": env_int("SIGNS_SAMPLE_RETENTION_DAYS", 30),
        "SIGNS_ACK_TIMEOUT_SECONDS": env_int("SIGNS_ACK_TIMEOUT_SECONDS", 30),  # unacknowledged override flagged
        "SIGNS_AUTO_PLAYBOOK": env_bool("SIGNS_AUTO_PLAYBOOK", False),  # apply crowd alerts without approval
        "SIGNS_PLAYBOOK_RADIUS_M": env_int("SIGNS_PLAYBOOK_RADIUS_M", 300),  # neighbours of a critical zone
        "SIGNS_PLAYBOOK_MINUTES": env_int("SIGNS_PLAYBOOK_MINUTES", 30),  # how long a crowd alert stays up
        "SIGNS_SUBMISSION_HOURS": env_int("SIGNS_SUBMISSION_HOURS", 2),  # how long an approved submission shows
        "SIGNS_SUBMISSION_RATE": os.environ.get("SIGNS_SUBMISSION_RATE", "5 per minute;30 per hour"),
        # --- end signs ---
        # flask-smorest / OpenAPI
        "API_TITLE": "Sangam",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "/docs",
        "OPENAPI_SWAGGER_UI_URL": os.environ.get("SWAGGER_UI_URL", ""),
        "OPENAPI_REDOC_PATH": "/redoc",
        "OPENAPI_REDOC_URL": os.environ.get("REDOC_URL", ""),
        "JSON_SORT_KEYS": False,
        # --- release queue ---
        # Where quota-release queues live: a redis:// URL (production: the shared REDIS_URL) or memory:// (one
        # process). Who admits: "celery" (tasks.temples.admit_release on the `releases` queue), "thread" (a loop in
        # this process; embedded mode) or "manual" (nothing runs by itself: tests step the admitter).
        "RELEASE_QUEUE_URL": os.environ.get("RELEASE_QUEUE_URL") or redis_url or "memory://",
        "RELEASE_ADMITTER": os.environ.get("RELEASE_ADMITTER") or ("celery" if redis_url else "thread"),
        "RELEASE_BATCH_SIZE": env_int("RELEASE_BATCH_SIZE", 100),  # tickets admitted per database transaction
        "RELEASE_LEASE_SECONDS": env_int("RELEASE_LEASE_SECONDS", 15),  # a dead admitter's release is taken over
        "RELEASE_TICKET_TTL_SECONDS": env_int("RELEASE_TICKET_TTL_SECONDS", 6 * 3600),  # results kept in the store
        # --- end release queue ---
    }
    cfg.update(redis_settings(redis_url))
    for name in SECRET_NAMES:
        cfg[name] = os.environ.get(name, "")
    cfg.update(overrides)
    apply_secrets(cfg)
    return cfg


def engine_options(database_url: str) -> dict:
    """Pool options: one connection per web thread, no ping per checkout, give up connecting after a few seconds.

    Without a pre-ping, a request that meets a connection the database dropped (a restart) fails once with
    503 and SQLAlchemy discards the whole pool; every checkout saves a round trip in exchange.
    """
    options: dict = {"pool_pre_ping": env_bool("DATABASE_POOL_PRE_PING", False),
                     "pool_recycle": env_int("DATABASE_POOL_RECYCLE", 300)}
    if database_url.startswith(("postgres://", "postgresql")):
        options["connect_args"] = {"connect_timeout": env_int("DATABASE_CONNECT_TIMEOUT", 5)}
        options["pool_size"] = env_int("DATABASE_POOL_SIZE", env_int("WEB_THREADS", 16))
        options["max_overflow"] = env_int("DATABASE_MAX_OVERFLOW", 16)  # WebSocket threads rarely need one
    return options


def redis_settings(redis_url: str) -> dict:
    """Cache, limiter, Celery and Socket.IO queue: Redis when REDIS_URL is set, else in-process."""
    if not redis_url:
        return {
            "CACHE_TYPE": "SimpleCache",
            "RATELIMIT_STORAGE_URI": "memory://",
            "CELERY": {"task_always_eager": True, "task_eager_propagates": False,
                       "broker_url": "memory://", "result_backend": None},
            "SOCKETIO_MESSAGE_QUEUE": None,
        }
    broker = os.environ.get("CELERY_BROKER_URL", redis_url)
    # A hung Redis (not just a dead one) must not hold requests: every client gives up quickly.
    fast = {"socket_timeout": env_float("REDIS_SOCKET_TIMEOUT", 0.5),
            "socket_connect_timeout": env_float("REDIS_CONNECT_TIMEOUT", 0.5)}
    return {
        "CACHE_TYPE": "RedisCache",
        "CACHE_REDIS_URL": os.environ.get("CACHE_REDIS_URL", redis_url),
        "CACHE_KEY_PREFIX": "sangam:cache:",
        "CACHE_OPTIONS": dict(fast),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", redis_url),
        "RATELIMIT_STORAGE_OPTIONS": dict(fast),
        "CELERY": {
            "broker_url": broker, "result_backend": None, "task_always_eager": False,
            "broker_connection_timeout": env_float("BROKER_CONNECT_TIMEOUT", 2.0),
            # visibility_timeout: a task a dead worker took is handed out again after this long (acks_late).
            # Longer than JOB_RUNNING_DEADLINE_SECONDS, so the outbox sweeper acts first on stuck exports.
            "broker_transport_options": {"visibility_timeout": env_int("BROKER_VISIBILITY_TIMEOUT", 3600),
                                         "socket_timeout": env_float("BROKER_SOCKET_TIMEOUT", 5.0),
                                         "socket_connect_timeout": env_float("BROKER_CONNECT_TIMEOUT", 2.0)},
        },
        "SOCKETIO_MESSAGE_QUEUE": os.environ.get("SOCKETIO_MESSAGE_QUEUE", redis_url),
        # Redis pub/sub ignores database numbers: deployments sharing one Redis need channels of their own.
        "SOCKETIO_CHANNEL": os.environ.get("SOCKETIO_CHANNEL", "sangam-socketio"),
    }


def apply_secrets(cfg: dict) -> None:
    """Refuse weak secrets in production; make persistent random ones in embedded mode."""
    for name in SECRET_NAMES:
        value = cfg.get(name) or ""
        if cfg["SANGAM_MODE"] == "production" and (value in WEAK_SECRETS or len(value) < 16):
            raise ConfigError(f"{name} must be set to a strong secret (16+ characters) in production")
        if not value:
            cfg[name] = embedded_secret(name)
