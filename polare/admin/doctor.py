"""`flask doctor`: the checks an IT department runs before Polare goes live.

Each check looks at one thing and says what to do about it. A check that fails marks something
that must be fixed before real data goes in (the command then exits 1); a warning is worth
reading but does not stop a go-live.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import click
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from polare.admin import bp
from polare.admin.demo import DEMO_PASSWORD, DEMO_USERS
from polare.auth.models import User
from polare.auth.passwords import verify_password
from polare.extensions import db


class Outcome(enum.Enum):
    OK = "OK"
    WARNING = "VARNING"
    FAIL = "FEL"


@dataclass(frozen=True)
class Finding:
    """What one check found, and what to do when it is not OK."""

    check: str
    outcome: Outcome
    message: str
    fix: str = ""


#: The shortest session key accepted for production: 32 random characters.
SECRET_KEY_MIN_LENGTH = 32


def check_secret_key(app: Flask) -> Finding:
    """The session key must come from the environment, long enough not to be guessed."""
    key = os.environ.get("SECRET_KEY", "")
    fix = "sätt SECRET_KEY (minst 32 slumpade tecken) i miljön, samma på varje appserver"
    if not key:
        return Finding("SECRET_KEY", Outcome.FAIL,
                       "genererad i instance/secret_key, inte satt uttryckligen", fix)
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return Finding("SECRET_KEY", Outcome.FAIL,
                       f"bara {len(key)} tecken: kan gissas och sessioner förfalskas", fix)
    return Finding("SECRET_KEY", Outcome.OK, "satt i miljön")


def check_https(app: Flask) -> Finding:
    """Cookies must be Secure and HSTS sent: the app is served over HTTPS only."""
    if app.config.get("POLARE_HTTPS"):
        return Finding("HTTPS", Outcome.OK, "POLARE_HTTPS=1: säkra cookies och HSTS")
    return Finding("HTTPS", Outcome.FAIL, "POLARE_HTTPS är inte satt",
                   "servera Polare bakom HTTPS och sätt POLARE_HTTPS=1")


def _migrations_directory(app: Flask) -> str:
    return str(Path(app.root_path).parent / "migrations")


def check_database(app: Flask) -> Finding:
    """The database answers and carries every migration."""
    try:
        with db.engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError as error:
        return Finding("Databas", Outcome.FAIL, f"nås inte: {error.__class__.__name__}",
                       "kontrollera DATABASE_URL och att databasservern kör")
    expected = set(ScriptDirectory(_migrations_directory(app)).get_heads())
    if current != expected:
        return Finding("Databas", Outcome.FAIL,
                       f"schemat är {', '.join(sorted(current)) or 'tomt'}, "
                       f"koden väntar {', '.join(sorted(expected))}",
                       "kör flask --app app db upgrade")
    return Finding("Databas", Outcome.OK, f"{db.engine.dialect.name}, migreringar aktuella")


def _limiter_storage(app: Flask) -> str:
    return app.config.get("RATELIMIT_STORAGE_URI", "memory://")


def check_redis(app: Flask) -> Finding:
    """Redis, when configured, answers."""
    uri = _limiter_storage(app)
    if not uri.startswith(("redis://", "rediss://")):
        return Finding("Redis", Outcome.OK, "inte konfigurerad (REDIS_URL saknas)")
    import redis

    try:
        redis.Redis.from_url(uri, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        return Finding("Redis", Outcome.FAIL, f"nås inte: {error}",
                       "kontrollera REDIS_URL och att Redis kör")
    return Finding("Redis", Outcome.OK, "svarar")


def configured_workers() -> int:
    """Return the worker count gunicorn.conf.py starts gunicorn with (read the same way).

    The file's setting overrides gunicorn's own WEB_CONCURRENCY, so that is not read here.
    """
    return int(os.environ.get("POLARE_WORKERS", "2"))


def check_shared_limits(app: Flask) -> Finding:
    """Several workers must count limited requests (applications, lookups) in one store."""
    workers = configured_workers()
    shared = _limiter_storage(app).startswith(("redis://", "rediss://"))
    if workers > 1 and not shared:
        return Finding("Begränsningar", Outcome.FAIL,
                       f"{workers} arbetsprocesser räknar var för sig (ingen REDIS_URL)",
                       "sätt REDIS_URL=redis://värd:6379/0, eller kör en arbetsprocess")
    where = "Redis" if shared else "en arbetsprocess"
    return Finding("Begränsningar", Outcome.OK, f"{workers} arbetsprocess(er), {where}")


def check_mail(app: Flask) -> Finding:
    """Mail is optional: without it coordinators send links by hand."""
    server = app.config.get("MAIL_SERVER") or os.environ.get("MAIL_SERVER")
    if server:
        return Finding("E-post", Outcome.OK, f"MAIL_SERVER={server}")
    return Finding("E-post", Outcome.WARNING, "ingen MAIL_SERVER: ingen e-post skickas",
                   "sätt MAIL_SERVER med flera om Polare ska skicka e-post")


def check_demo_users(app: Flask) -> Finding:
    """Demo logins with their printed password must not exist in production.

    A deactivated demo user cannot log in, so it no longer counts.
    """
    names = [username for username, *_rest in DEMO_USERS]
    try:
        users = db.session.scalars(
            select(User).where(User.username.in_(names), User.active.is_(True))).all()
    except SQLAlchemyError:
        db.session.rollback()
        return Finding("Demoanvändare", Outcome.WARNING, "kunde inte läsas (se Databas)")
    open_logins = [u.username for u in users if verify_password(u.password_hash, DEMO_PASSWORD)]
    if open_logins:
        return Finding("Demoanvändare", Outcome.FAIL,
                       f"med demolösenordet: {', '.join(sorted(open_logins))}",
                       "använd en ny databas utan flask demo, eller avaktivera dem")
    return Finding("Demoanvändare", Outcome.OK, "inga med demolösenordet")


def check_proxies(app: Flask) -> Finding:
    """Say how many proxies' forwarded headers are trusted."""
    count = app.config.get("POLARE_PROXIES", 0)
    if count:
        return Finding("Proxy", Outcome.OK, f"litar på {count} proxy(s) X-Forwarded-*")
    return Finding("Proxy", Outcome.WARNING,
                   "X-Forwarded-* ignoreras: gränser och logg ser proxyns adress",
                   "sätt POLARE_PROXIES=1 bakom en omvänd proxy")


CHECKS: tuple[Callable[[Flask], Finding], ...] = (
    check_secret_key, check_https, check_database, check_redis, check_shared_limits,
    check_proxies, check_mail, check_demo_users,
)


def run_checks(app: Flask) -> Iterator[Finding]:
    """Run every check in order."""
    for check in CHECKS:
        yield check(app)


@bp.cli.command("doctor")
def doctor_command() -> None:
    """Check the set-up before going live; exit 1 if anything must be fixed."""
    failed = False
    for finding in run_checks(current_app._get_current_object()):
        line = f"{finding.outcome.value:<8} {finding.check}: {finding.message}"
        if finding.fix and finding.outcome is not Outcome.OK:
            line += f" — åtgärd: {finding.fix}"
        click.echo(line)
        failed = failed or finding.outcome is Outcome.FAIL
    if failed:
        raise SystemExit(1)
