"""`flask doctor`: passes on a correct production set-up and names each fault on a wrong one."""

from __future__ import annotations

import os

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from polare.admin.cli import seed_all
from polare.admin.demo import load_demo_users
from polare.auth.models import User
from polare.extensions import db
from tests.conftest import make_test_app

PRODUCTION_ENV = {
    "SECRET_KEY": "a-long-random-secret-from-the-environment",
    "POLARE_HTTPS": "1",
    "POLARE_WORKERS": "4",
    "POLARE_PROXIES": "1",
    "MAIL_SERVER": "smtp.kommun.example",
}


def _run_doctor(tmp_path, monkeypatch, *, env: dict[str, str], migrate: bool = True,
                demo: bool = False, demo_deactivated: bool = False,
                database_url: str | None = None):
    for name in ("SECRET_KEY", "POLARE_HTTPS", "POLARE_WORKERS", "WEB_CONCURRENCY",
                 "POLARE_PROXIES", "MAIL_SERVER", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    overrides = {"POLARE_HTTPS": env.get("POLARE_HTTPS") == "1",
                 "POLARE_PROXIES": int(env.get("POLARE_PROXIES", "0")),
                 "RATELIMIT_STORAGE_URI": env.get("REDIS_URL", "memory://")}
    database_url = database_url or f"sqlite:///{tmp_path / 'doctor.sqlite3'}"
    app = make_test_app(database_url, str(tmp_path), **overrides)
    with app.app_context():
        if migrate:
            upgrade(directory=os.path.join(app.root_path, "..", "migrations"))
        if demo:
            seed_all()
            load_demo_users(db.session)
            if demo_deactivated:
                for user in db.session.scalars(select(User)):
                    user.active = False
            db.session.commit()
        result = app.test_cli_runner().invoke(args=["doctor"])
        db.session.remove()
        db.engine.dispose()
    return result


def test_doctor_passes_on_a_correct_production_setup(tmp_path, monkeypatch, redis_only):
    result = _run_doctor(tmp_path, monkeypatch, env={**PRODUCTION_ENV, "REDIS_URL": redis_only})
    assert result.exit_code == 0, result.output
    assert "FEL" not in result.output
    assert "OK       Databas: sqlite, migreringar aktuella" in result.output


def test_doctor_fails_without_an_explicit_secret_key(tmp_path, monkeypatch):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = _run_doctor(tmp_path, monkeypatch, env={**env, "POLARE_WORKERS": "1"})
    assert result.exit_code == 1
    assert "FEL      SECRET_KEY" in result.output


def test_doctor_fails_with_a_secret_key_shorter_than_32_characters(tmp_path, monkeypatch):
    env = {**PRODUCTION_ENV, "SECRET_KEY": "x" * 31, "POLARE_WORKERS": "1"}
    result = _run_doctor(tmp_path, monkeypatch, env=env)
    assert result.exit_code == 1
    assert "FEL      SECRET_KEY: bara 31 tecken" in result.output


def test_doctor_fails_without_https(tmp_path, monkeypatch):
    env = {**PRODUCTION_ENV, "POLARE_HTTPS": "0", "POLARE_WORKERS": "1"}
    result = _run_doctor(tmp_path, monkeypatch, env=env)
    assert result.exit_code == 1
    assert "FEL      HTTPS: POLARE_HTTPS är inte satt" in result.output


def test_doctor_fails_when_migrations_are_not_applied(tmp_path, monkeypatch):
    env = {**PRODUCTION_ENV, "POLARE_WORKERS": "1"}
    result = _run_doctor(tmp_path, monkeypatch, env=env, migrate=False)
    assert result.exit_code == 1
    assert "FEL      Databas: schemat är tomt" in result.output
    assert "flask --app app db upgrade" in result.output


def test_doctor_fails_when_the_database_does_not_answer(tmp_path, monkeypatch):
    env = {**PRODUCTION_ENV, "POLARE_WORKERS": "1"}
    result = _run_doctor(tmp_path, monkeypatch, env=env, migrate=False,
                         database_url="postgresql+psycopg://polare@127.0.0.1:1/polare")
    assert result.exit_code == 1
    assert "FEL      Databas: nås inte: OperationalError" in result.output
    assert "kontrollera DATABASE_URL" in result.output


def test_doctor_fails_with_several_workers_and_no_shared_limiter_storage(tmp_path, monkeypatch):
    result = _run_doctor(tmp_path, monkeypatch, env=PRODUCTION_ENV)
    assert result.exit_code == 1
    assert "FEL      Begränsningar: 4 arbetsprocesser räknar var för sig" in result.output


def test_doctor_counts_the_workers_that_gunicorn_conf_starts_not_web_concurrency(
        tmp_path, monkeypatch):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "POLARE_WORKERS"}
    result = _run_doctor(tmp_path, monkeypatch, env={**env, "WEB_CONCURRENCY": "1"})
    assert result.exit_code == 1
    assert "FEL      Begränsningar: 2 arbetsprocesser räknar var för sig" in result.output


def test_doctor_fails_when_redis_does_not_answer(tmp_path, monkeypatch):
    env = {**PRODUCTION_ENV, "REDIS_URL": "redis://127.0.0.1:1/0"}
    result = _run_doctor(tmp_path, monkeypatch, env=env)
    assert result.exit_code == 1
    assert "FEL      Redis: nås inte" in result.output


def test_doctor_fails_while_demo_users_keep_the_demo_password(tmp_path, monkeypatch):
    env = {**PRODUCTION_ENV, "POLARE_WORKERS": "1"}
    result = _run_doctor(tmp_path, monkeypatch, env=env, demo=True)
    assert result.exit_code == 1
    assert "FEL      Demoanvändare: med demolösenordet: admin, berga, handledare" in result.output


def test_doctor_passes_once_the_demo_users_are_deactivated(tmp_path, monkeypatch):
    env = {**PRODUCTION_ENV, "POLARE_WORKERS": "1"}
    result = _run_doctor(tmp_path, monkeypatch, env=env, demo=True, demo_deactivated=True)
    assert "OK       Demoanvändare: inga med demolösenordet" in result.output
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("name", "warning"), [
    ("MAIL_SERVER", "VARNING  E-post: ingen MAIL_SERVER"),
    ("POLARE_PROXIES", "VARNING  Proxy: X-Forwarded-* ignoreras"),
])
def test_doctor_only_warns_about_mail_and_proxies(tmp_path, monkeypatch, name, warning):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != name}
    result = _run_doctor(tmp_path, monkeypatch, env={**env, "POLARE_WORKERS": "1"})
    assert warning in result.output
    assert result.exit_code == 0, result.output
