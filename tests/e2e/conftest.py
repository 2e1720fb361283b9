"""Browser tests: the app in a real server process, driven by Debian's Chromium.

One gunicorn server serves the whole session from its own SQLite file in a temporary folder,
prepared by `tests/e2e/app_data.py` (migrations, seed, journey data). Even when
POLARE_TEST_DATABASE_URL points the rest of the suite at PostgreSQL, this server stays on
SQLite: the browser tests prove the pages, the domain tests prove both databases.

Chromium is /usr/bin/chromium, never a downloaded browser. Without it the tests skip with a
reason, unless POLARE_REQUIRE_BROWSER is set (CI), when they fail. When a test fails, a
screenshot and the HTML of each page it opened are saved under POLARE_ARTIFACTS (default
test-artifacts/e2e), and the server's logs at the end of the run; the paths are printed.

The tests share the server but not their data: each one starts from what app_data made, so
any test can run alone (`-k`) or in any order.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.conftest import skip_or_fail
from tests.e2e.helpers import NARROW_PHONE, log_in
from tests.processes import stop

#: Debian's Chromium; POLARE_CHROMIUM may name another build of it (never a downloaded one).
CHROMIUM = os.environ.get("POLARE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
#: Seconds the server may take to come up on a busy two-core machine.
SERVER_START_TIMEOUT = 90
#: Milliseconds a page or an expectation may take before a test fails.
ACTION_TIMEOUT_MS = 20_000
REPO = Path(__file__).resolve().parents[2]
PAGES_KEY = pytest.StashKey[list]()
_saved_artifacts: list[str] = []
_server_logs: set[Path] = set()


# ---------------------------------------------------------------- the server


@dataclass(frozen=True)
class Server:
    """The running app: its address, the journey data and its log files."""

    url: str
    data: dict[str, Any]
    logs: tuple[Path, ...]

    @property
    def password(self) -> str:
        return self.data["password"]


def _server_env(folder: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update({
        "POLARE_INSTANCE_DIR": str(folder),
        "DATABASE_URL": f"sqlite:///{folder / 'e2e.sqlite3'}",
        "SECRET_KEY": secrets.token_hex(32),
        "POLARE_HTTPS": "0",
        "POLARE_WORKERS": "1",  # one worker: no Redis needed for shared request limits
        "POLARE_LOGIN_RATE_LIMIT": "1000 per minute",
        "PYTHONUNBUFFERED": "1",
    })
    return env


def _prepare_database(env: dict[str, str]) -> dict[str, Any]:
    """Migrate, seed and load the journey data in a subprocess; return the data it printed."""
    done = subprocess.run(  # noqa: S603  (our own interpreter and module)
        [sys.executable, "-m", "tests.e2e.app_data"], cwd=REPO, env=env,
        capture_output=True, text=True, timeout=300, check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"preparing the e2e database failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _listening_port(log: Path, process: subprocess.Popen, deadline: float) -> int:
    """Return the port gunicorn chose, read from its log (bound to port 0: no race)."""
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the e2e server exited:\n{log.read_text()[-4000:]}")
        match = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)",
                          log.read_text() if log.exists() else "")
        if match:
            return int(match.group(1))
        time.sleep(0.2)
    pytest.fail(f"the e2e server did not start listening:\n{log.read_text()[-4000:]}")


def _wait_healthy(url: str, process: subprocess.Popen, log: Path, deadline: float) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the e2e server exited:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    pytest.fail(f"/healthz did not answer 200 in time:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def e2e_server(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Start the app under gunicorn on a free 127.0.0.1 port with a prepared database."""
    folder = tmp_path_factory.mktemp("e2e-server")
    env = _server_env(folder)
    data = _prepare_database(env)
    error_log, access_log = folder / "gunicorn.log", folder / "access.log"
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "--bind", "127.0.0.1:0", "--workers", "1",
         "--worker-class", "gthread", "--threads", "4", "--timeout", "120",
         "--error-logfile", str(error_log), "--access-logfile", str(access_log),
         "--capture-output", "app:app"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        url = f"http://127.0.0.1:{_listening_port(error_log, process, deadline)}"
        _wait_healthy(url, process, error_log, deadline)
        yield Server(url=url, data=data, logs=(error_log, access_log))
    finally:
        stop(process)


# ---------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def chromium() -> str:
    """Return the path of Debian's Chromium; skip (or fail under POLARE_REQUIRE_BROWSER)."""
    if not os.access(CHROMIUM, os.X_OK):
        skip_or_fail(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)",
                     "POLARE_REQUIRE_BROWSER")
    return CHROMIUM


@pytest.fixture(scope="session")
def e2e_browser(chromium: str) -> Iterator[Browser]:
    """One headless Chromium for the whole session."""
    expect.set_options(timeout=ACTION_TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def signed_in(e2e_browser: Browser, e2e_server: Server) -> Callable[[str], dict]:
    """Return the cookies of a logged-in user; each user logs in once per session."""
    states: dict[str, dict] = {}

    def state_of(username: str) -> dict:
        if username not in states:
            context = e2e_browser.new_context(base_url=e2e_server.url, **DESKTOP)
            try:
                log_in(context.new_page(), username, e2e_server.password)
                states[username] = context.storage_state()
            finally:
                context.close()
        return states[username]

    return state_of


@pytest.fixture
def browse(request: pytest.FixtureRequest, e2e_browser: Browser, e2e_server: Server,
           signed_in: Callable[[str], dict]) -> Iterator[Callable[..., Page]]:
    """Open a page as a user (or anonymous), on a desktop, a phone or a 360 px phone."""
    contexts = []
    request.node.stash[PAGES_KEY] = []

    def open_page(username: str | None = None, *, phone: bool = False,
                  narrow: bool = False) -> Page:
        viewport = NARROW_PHONE if narrow else PHONE if phone else DESKTOP
        context = e2e_browser.new_context(
            base_url=e2e_server.url, locale="sv-SE", timezone_id="Europe/Stockholm",
            storage_state=signed_in(username) if username else None,
            accept_downloads=True, **viewport,
        )
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        request.node.stash[PAGES_KEY].append(page)
        return page

    yield open_page
    for context in contexts:
        context.close()


# ---------------------------------------------------------------- artifacts on failure


def artifacts_folder(config: pytest.Config) -> Path:
    """Return the folder of failure artifacts: POLARE_ARTIFACTS or test-artifacts/e2e."""
    folder = os.environ.get("POLARE_ARTIFACTS")
    return Path(folder) if folder else config.rootpath / "test-artifacts" / "e2e"


def _save_artifacts(item: pytest.Item) -> list[str]:
    pages = item.stash.get(PAGES_KEY, [])
    folder = artifacts_folder(item.config)
    folder.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{item.path.stem}-{item.name}").strip("-")[-150:]
    saved = []
    for number, page in enumerate(pages, 1):
        if page.is_closed():
            continue
        base = folder / f"{stem}-{number}"
        try:
            page.screenshot(path=f"{base}.png", full_page=True)
            saved.append(f"{base}.png")
            Path(f"{base}.html").write_text(page.content(), encoding="utf-8")
            saved.append(f"{base}.html")
        except Exception as error:  # a crashed page must not hide the test's own failure
            saved.append(f"{base}: could not save ({error})")
    server = getattr(item, "funcargs", {}).get("e2e_server")
    _server_logs.update(getattr(server, "logs", ()))
    return saved


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Save a screenshot and the HTML of every open page of a failed test; print the paths."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and report.when in ("setup", "call"):
        saved = _save_artifacts(item)
        if saved:
            _saved_artifacts.extend(saved)
            report.sections.append(("e2e artifacts", "\n".join(saved)))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Copy the server's logs beside the failure artifacts; list them and known defects."""
    for log in sorted(_server_logs):
        if log.exists():
            copy = artifacts_folder(terminalreporter.config) / f"server-{log.name}"
            shutil.copy(log, copy)
            _saved_artifacts.append(str(copy))
    if _saved_artifacts:
        terminalreporter.section("browser test artifacts")
        for path in _saved_artifacts:
            terminalreporter.write_line(path)
