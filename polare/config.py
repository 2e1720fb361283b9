"""Settings read from the environment (a `.env` file is read if present)."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from dotenv import load_dotenv

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"


def _secret_key(instance_dir: Path) -> str:
    """Return SECRET_KEY from the environment, or one generated once into instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = instance_dir / "secret_key"
    if not key_file.exists():
        instance_dir.mkdir(parents=True, exist_ok=True)
        # Created readable by the owner only, never for a moment readable by others.
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_config(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the Flask config from the environment, then apply test overrides."""
    load_dotenv(override=False)
    instance_dir = Path(os.environ.get("POLARE_INSTANCE_DIR", INSTANCE_DIR))
    secure = _bool("POLARE_HTTPS", False)
    config: dict[str, Any] = {
        "SECRET_KEY": None,
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "DATABASE_URL", f"sqlite:///{instance_dir / 'polare.sqlite3'}"
        ),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "INSTANCE_DIR": str(instance_dir),
        "POLARE_HTTPS": secure,
        #: How many reverse proxies in front of the app to trust for X-Forwarded-* (0: none).
        "POLARE_PROXIES": int(os.environ.get("POLARE_PROXIES", "0")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure,
        "PERMANENT_SESSION_LIFETIME": timedelta(
            minutes=int(os.environ.get("POLARE_IDLE_MINUTES", "30"))
        ),
        "SESSION_REFRESH_EACH_REQUEST": True,
        "MAX_CONTENT_LENGTH": int(os.environ.get("POLARE_MAX_UPLOAD_MB", "5")) * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,
        "BOOTSTRAP_SERVE_LOCAL": True,
        "BABEL_DEFAULT_LOCALE": "sv",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Stockholm",
        "LANGUAGES": ("sv", "en"),
        "RATELIMIT_STORAGE_URI": os.environ.get("REDIS_URL", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": False,
        "LOGIN_RATE_LIMIT": os.environ.get("POLARE_LOGIN_RATE_LIMIT", "20 per 10 minutes"),
        "PNR_LOOKUP_LIMIT": os.environ.get("POLARE_PNR_LOOKUP_LIMIT", "30 per hour"),
        "LOGIN_MAX_FAILURES": int(os.environ.get("POLARE_LOGIN_MAX_FAILURES", "5")),
        "LOGIN_LOCK_MINUTES": int(os.environ.get("POLARE_LOGIN_LOCK_MINUTES", "15")),
        #: How long a whole country's page rebuilds stale follow-up aggregates per request.
        "POLARE_REBUILD_SECONDS": float(os.environ.get("POLARE_REBUILD_SECONDS", "10")),
        #: How long the checkpoint after a purge waits for readers of the SQLite database.
        "POLARE_CHECKPOINT_WAIT_MS": int(os.environ.get("POLARE_CHECKPOINT_WAIT_MS", "15000")),
        #: Close the open enrolments of ended school years on the first request of a day.
        "POLARE_CLOSE_YEARS_ON_REQUEST": _bool("POLARE_CLOSE_YEARS_ON_REQUEST", True),
        "APPLY_RATE_LIMIT": os.environ.get("POLARE_APPLY_RATE_LIMIT", "5 per hour"),
        #: Who applicants and guardians ask about their personal data (shown on the form).
        "PRIVACY_CONTACT": os.environ.get("POLARE_PRIVACY_CONTACT", ""),
        #: Without MAIL_SERVER no e-mail is sent: coordinators pass consent links on by hand.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", False),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "polare@localhost"),
        "MAIL_BACKEND": "smtp",
        "MAIL_TIMEOUT": 15,
    }
    if overrides:
        config.update(overrides)
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = _secret_key(instance_dir)
    return config
