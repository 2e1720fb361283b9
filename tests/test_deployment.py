"""The production set-up: gunicorn.conf.py with several workers over PostgreSQL and Redis."""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from tests.processes import stop

REPO = Path(__file__).resolve().parents[1]
START_TIMEOUT = 90
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def _gunicorn(env: dict[str, str], log: Path, access_log: Path) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603  (fixed command, no shell)
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", "127.0.0.1:0",
         "--error-logfile", str(log), "--access-logfile", str(access_log),
         "--access-logformat", "%(p)s %(h)s %(m)s %(U)s %(s)s", "app:app"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)


def _migrated_gunicorn(env: dict[str, str], log: Path, access_log: Path) -> subprocess.Popen:
    """Bring the database of `env` up to date, then start gunicorn on it."""
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", "db", "upgrade"],  # noqa: S603
                   cwd=REPO, env=env, check=True, capture_output=True)
    return _gunicorn(env, log, access_log)


def _port(process: subprocess.Popen, log: Path, workers: int = 2) -> int:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        text_so_far = log.read_text() if log.exists() else ""
        booted = len(re.findall(r"Booting worker", text_so_far))
        match = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", text_so_far)
        if match and booted >= workers:
            return int(match.group(1))
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited:\n{text_so_far[-3000:]}")
        time.sleep(0.2)
    pytest.fail(f"gunicorn did not start:\n{log.read_text()[-3000:]}")


@pytest.fixture
def migrated_postgres(postgres_only: str) -> Iterator[str]:
    """A new PostgreSQL database with every migration applied; dropped afterwards."""
    name = f"polare_deploy_{uuid.uuid4().hex[:8]}"
    admin = create_engine(postgres_only, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_only).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _server_env(tmp_path: Path, **settings: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("POLARE_", "REDIS_", "DATABASE_"))}
    env.update({"SECRET_KEY": "deployment-test-secret", "POLARE_INSTANCE_DIR": str(tmp_path),
                "POLARE_WORKERS": "2", **settings})
    return env


def _failed_login(opener: urllib.request.OpenerDirector, url: str, username: str) -> int:
    """Fetch the login page, submit its form with a wrong password; return the status."""
    with opener.open(f"{url}/login", timeout=20) as page:
        token = TOKEN.search(page.read().decode()).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "username": username,
                                   "password": "fel-losenord-123"}).encode()
    try:
        with opener.open(f"{url}/login", data=body, timeout=20) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_21st_failed_login_is_refused_whichever_of_two_workers_answers(
        tmp_path, migrated_postgres, redis_only):
    env = _server_env(tmp_path, DATABASE_URL=migrated_postgres, REDIS_URL=redis_only)
    log, access_log = tmp_path / "gunicorn.log", tmp_path / "access.log"
    process = _migrated_gunicorn(env, log, access_log)
    try:
        url = f"http://127.0.0.1:{_port(process, log)}"

        def guess(attempt: int) -> int:
            # A new browser each time, as an attacker would, and a new name each time, so
            # only the per-address count can stop it.
            opener = urllib.request.build_opener(
                urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
            return _failed_login(opener, url, f"gissning{attempt}")

        # Four at a time: with both workers busy, each answers some (one at a time, the
        # kernel may hand every connection to the same worker).
        with ThreadPoolExecutor(max_workers=4) as pool:
            first_twenty = list(pool.map(guess, range(20)))
        twenty_first = guess(20)
    finally:
        stop(process)
    assert first_twenty == [401] * 20
    assert twenty_first == 429
    workers = {line.split()[0] for line in access_log.read_text().splitlines()
               if " POST /login " in f" {line} "}
    assert len(workers) == 2, "both workers answered failed logins"


@pytest.mark.parametrize(("proxies", "logged"), [("1", "203.0.113.9"), ("0", "127.0.0.1")])
def test_the_access_log_names_the_client_behind_a_trusted_proxy_and_only_then(
        tmp_path, proxies, logged):
    env = _server_env(tmp_path, POLARE_WORKERS="1", POLARE_PROXIES=proxies)
    log, access_log = tmp_path / "gunicorn.log", tmp_path / "access.log"
    process = _migrated_gunicorn(env, log, access_log)
    try:
        url = f"http://127.0.0.1:{_port(process, log, workers=1)}/login"
        forwarded = urllib.request.Request(url, headers={"X-Forwarded-For": "203.0.113.9"})
        with urllib.request.urlopen(forwarded, timeout=20) as page:  # noqa: S310  (local)
            assert page.status == 200
    finally:
        stop(process)
    assert [line.split()[1] for line in access_log.read_text().splitlines()] == [logged]


def test_gunicorn_refuses_two_workers_without_redis_and_says_why(tmp_path):
    refused = subprocess.run(  # noqa: S603  (fixed command, no shell)
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", "127.0.0.1:0",
         "app:app"], cwd=REPO, env=_server_env(tmp_path), capture_output=True, text=True,
        timeout=START_TIMEOUT, check=False)
    assert refused.returncode != 0
    assert "2 workers need REDIS_URL" in refused.stdout + refused.stderr


def test_gunicorn_judges_the_workers_given_on_the_command_line(tmp_path):
    refused = subprocess.run(  # noqa: S603  (fixed command, no shell)
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-w", "4",
         "--bind", "127.0.0.1:0", "app:app"],
        cwd=REPO, env=_server_env(tmp_path, POLARE_WORKERS="1"), capture_output=True, text=True,
        timeout=START_TIMEOUT, check=False)
    assert refused.returncode != 0
    assert "4 workers need REDIS_URL" in refused.stdout + refused.stderr


@pytest.mark.parametrize(("arguments", "port"), [((), "5000"), (("PORT=8123",), "8123")])
def test_make_run_serves_on_the_port_it_is_given(arguments, port):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    planned = subprocess.run(  # noqa: S603  (make's dry run: prints the commands, runs none)
        ["make", "--dry-run", "--always-make", "run", *arguments], cwd=REPO,  # noqa: S607
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout
    assert f"run --host 127.0.0.1 --port {port}" in planned
    assert f"http://127.0.0.1:{port}" in planned
