"""Shared fixtures: the app on a fresh database, a rolled-back session per test, factories.

Set POLARE_TEST_DATABASE_URL (postgresql+psycopg://...) to run on PostgreSQL: each test run
creates its own database there and drops it at the end. Without it the tests use SQLite.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
import webtest
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import Engine, create_engine, make_url, select, text
from sqlalchemy.orm import scoped_session, sessionmaker
from stdnum import luhn

from polare import create_app
from polare.admin.cli import seed_all
from polare.audit.services import record
from polare.auth.models import Role, User
from polare.auth.passwords import hash_password
from polare.clock import LOCAL_TZ, set_clock
from polare.extensions import db as flask_db
from polare.org.models import SchoolYear, Team
from polare.roster.models import Enrolment, EnrolmentStatus, Person
from polare.roster.sorting import swedish_sort_key
from tests import webpages

TEST_PASSWORD = "test-password-123"
#: Fixed "today" of the test data: every date in fixtures is derived from it.
TODAY = date(2026, 11, 25)
_HASH = hash_password(TEST_PASSWORD)


# ---------------------------------------------------------------- network guard

_LOCAL_HOSTS = {"127.0.0.1", "::1", "localhost", "0.0.0.0"}  # noqa: S104


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that tries to reach a host other than this machine."""
    original = socket.socket.connect

    def guarded_connect(sock: socket.socket, address: Any) -> Any:
        if isinstance(address, tuple) and address[0] not in _LOCAL_HOSTS:
            raise RuntimeError(f"test tried to reach the network: {address!r}")
        return original(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


# ---------------------------------------------------------------- database


def postgres_url() -> str | None:
    """Return the PostgreSQL URL the tests should use, if any."""
    return os.environ.get("POLARE_TEST_DATABASE_URL") or None


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Yield the URL of an empty database of this test run, removed afterwards."""
    base = postgres_url()
    if base is None:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        return
    name = f"polare_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin_engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(base).set(database=name).render_as_string(hide_password=False)
    with admin_engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin_engine.dispose()


def make_test_app(database_url: str, tmp_dir: str, **overrides: Any):
    """Create the app as the tests configure it."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "LOGIN_RATE_LIMIT": "10000 per minute",
        "PNR_LOOKUP_LIMIT": "10000 per minute",
        "POLARE_STRICT_AUDIT": True,
        # The `db` fixture holds a transaction open: a purge's checkpoint must not wait for it.
        "POLARE_CHECKPOINT_WAIT_MS": 0,
        # Fixtures keep enrolments open in years that have ended; tests that close them say so.
        "POLARE_CLOSE_YEARS_ON_REQUEST": False,
        "INSTANCE_DIR": tmp_dir,
    }
    config.update(overrides)
    return create_app(config)


class FreshGlobalsClient(FlaskClient):
    """A test client whose every request starts with empty `g`, as in production.

    The `db` fixture keeps an app context pushed for the test body, and Flask reuses it for
    requests; without this, Flask-Login's cached user would leak from one request to the next.
    """

    def open(self, *args: Any, **kwargs: Any):
        from flask import g

        if has_app_context():
            vars(g._get_current_object()).clear()
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory):
    """The app, with the schema created and the reference data seeded (committed)."""
    application = make_test_app(database_url, str(tmp_path_factory.mktemp("instance")))
    application.test_client_class = FreshGlobalsClient
    with application.app_context():
        flask_db.create_all()
        from polare.org.seed import seed_reference_data

        seed_reference_data(flask_db.session, TODAY)
        seed_all_fixed()
        flask_db.session.commit()
        flask_db.session.remove()
    yield application
    with application.app_context():
        flask_db.engine.dispose()


def seed_all_fixed() -> None:
    """Seed reference data as `flask seed` does (school years relative to TODAY)."""
    seed_all()



class FrozenClock:
    """The time Polare reads during a test; set it to move time on."""

    def __init__(self) -> None:
        self.moment = datetime.combine(TODAY, time(12, 0), tzinfo=LOCAL_TZ)

    def now(self) -> datetime:
        return self.moment

    def local(self, moment: datetime | date) -> None:
        """Set Swedish local time (naive); a date is that day at noon."""
        if not isinstance(moment, datetime):
            moment = datetime.combine(moment, time(12, 0))
        self.moment = moment.replace(tzinfo=LOCAL_TZ)

    def utc(self, moment: datetime) -> None:
        """Set the time as stored in the database (naive UTC)."""
        self.moment = moment.replace(tzinfo=UTC)


@pytest.fixture
def clock() -> Iterator[FrozenClock]:
    """Freeze Polare's clock (noon of TODAY unless set): the one seam for time in tests."""
    frozen = FrozenClock()
    set_clock(frozen.now)
    yield frozen
    set_clock(None)


@pytest.fixture
def db(app) -> Iterator[scoped_session]:
    """A session whose work is rolled back after the test (requests share it)."""
    with app.app_context():
        connection = flask_db.engine.connect()
        outer = connection.begin()
        session = scoped_session(
            sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
        )
        original = flask_db.session
        flask_db.session = session
        try:
            yield session
        finally:
            session.remove()
            flask_db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def client(app, db):
    """A test client whose requests use the test's session."""
    return app.test_client()


# ---------------------------------------------------------------- reference data


@pytest.fixture
def teams(db) -> dict[str, Team]:
    """The seeded teams by name: Skäggetorp, Ryd, Berga."""
    return {team.name: team for team in db.scalars(select(Team))}


@pytest.fixture
def school_year(db) -> SchoolYear:
    """The school year 2026/27 (2026-08-01 – 2027-07-31)."""
    return db.scalars(select(SchoolYear).where(SchoolYear.label == "2026/27")).one()


# ---------------------------------------------------------------- factories


def _audit_fixture(session: Any, entity: str, obj: Any) -> None:
    session.flush()
    record(session, None, "create", entity, obj.id, note="test fixture")


@pytest.fixture
def make_user(db, teams) -> Callable[..., User]:
    """Build a user: make_user(Role.COORDINATOR, teams=("Ryd",), username=...)."""
    counter = {"n": 0}

    def build(role: Role = Role.COORDINATOR, teams_: tuple[str, ...] = ("Ryd",), *,
              username: str | None = None, active: bool = True, **fields: Any) -> User:
        counter["n"] += 1
        if role in (Role.ADMIN, Role.PAYROLL) and "teams" not in fields:
            teams_ = ()
        team_names = fields.pop("teams", teams_)
        user = User(
            username=username or f"{role.value}{counter['n']}",
            full_name=fields.pop("full_name", f"Test {role.value.title()} {counter['n']}"),
            password_hash=_HASH,
            role=role,
            active=active,
            teams=[teams[name] for name in team_names],
            **fields,
        )
        db.add(user)
        _audit_fixture(db, "user", user)
        return user

    return build


@pytest.fixture
def login_as(client, make_user) -> Callable[..., User]:
    """Log the test client in as a new user of the role and teams; return the user."""

    def log_in(role: Role = Role.COORDINATOR, teams: tuple[str, ...] = ("Ryd",),
               **fields: Any) -> User:
        user = make_user(role, teams=teams, **fields)
        response = client.post("/login", data={"username": user.username,
                                               "password": TEST_PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return log_in


class FreshGlobalsApp:
    """The app as a WSGI callable whose every request starts with empty `g` (see above)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        from flask import g

        if has_app_context():
            vars(g._get_current_object()).clear()
        return self.app(environ, start_response)


@pytest.fixture
def webapp(app, db) -> Iterator[webtest.TestApp]:
    """A WebTest browser on the app with CSRF protection on, as in production.

    Page tests fetch a page and submit its form as rendered: `webapp.get(url).forms[...]`.
    """
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        yield webtest.TestApp(FreshGlobalsApp(app))
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def web_login_as(webapp, make_user) -> Callable[..., User]:
    """Log the WebTest browser in through the login form as a new user; return the user."""

    def log_in(role: Role = Role.COORDINATOR, teams: tuple[str, ...] = ("Ryd",),
               **fields: Any) -> User:
        user = make_user(role, teams=teams, **fields)
        webapp.reset()  # a fresh browser: no one logged in
        form = next(f for f in webapp.get("/login").forms.values() if "username" in f.fields)
        form["username"] = user.username
        form["password"] = TEST_PASSWORD
        assert form.submit().status_int == 302
        return user

    return log_in


def valid_personnummer(birth: date, serial: int = 123) -> str:
    """Return a valid canonical personnummer for the birth date and a 3-digit serial."""
    digits = f"{birth:%y%m%d}{serial:03d}"
    return f"{birth:%Y%m%d}-{serial:03d}{luhn.calc_check_digit(digits)}"


@pytest.fixture
def make_person(db) -> Callable[..., Person]:
    """Build a person: make_person(birth_date=date(2009, 3, 14), first_name="Elsa", ...)."""
    counter = {"n": 0}

    def build(**overrides: Any) -> Person:
        counter["n"] += 1
        birth = overrides.pop("birth_date", date(2009, 3, 14))
        first = overrides.pop("first_name", f"Polare{counter['n']}")
        last = overrides.pop("last_name", "Andersson")
        person = Person(
            personnummer=overrides.pop("personnummer",
                                       valid_personnummer(birth, 100 + counter["n"])),
            birth_date=birth,
            first_name=first,
            last_name=last,
            sort_key=swedish_sort_key(last, first),
            **overrides,
        )
        db.add(person)
        _audit_fixture(db, "person", person)
        return person

    return build


@pytest.fixture
def make_enrolment(db, teams, school_year) -> Callable[..., Enrolment]:
    """Build an enrolment, active from the school year's start unless told otherwise."""

    def build(person: Person, team: str = "Ryd", **overrides: Any) -> Enrolment:
        year = overrides.pop("school_year", school_year)
        status = overrides.pop("status", EnrolmentStatus.ACTIVE)
        activated = overrides.pop(
            "activated_on", year.starts_on if status in (EnrolmentStatus.ACTIVE,
                                                         EnrolmentStatus.ENDED) else None)
        enrolment = Enrolment(
            person_id=person.id, team_id=teams[team].id, school_year_id=year.id,
            status=status, applied_on=overrides.pop("applied_on", year.starts_on),
            activated_on=activated, **overrides,
        )
        db.add(enrolment)
        _audit_fixture(db, "enrolment", enrolment)
        return enrolment

    return build


@pytest.fixture
def polare(make_person, make_enrolment) -> Person:
    """A 17-year-old polare with an active enrolment in Ryd 2026/27."""
    person = make_person(first_name="Elsa", last_name="Ek", birth_date=date(2009, 3, 14))
    make_enrolment(person, "Ryd")
    return person


@pytest.fixture
def roles_all() -> tuple[Role, ...]:
    return tuple(Role)


# ---------------------------------------------------------------- skips in CI


def skip_or_fail(reason: str, required_by: str) -> None:
    """Skip with a reason locally; fail when the environment variable requires the test."""
    if os.environ.get(required_by):
        pytest.fail(f"{reason} ({required_by} is set, so this test must run)")
    pytest.skip(reason)


@pytest.fixture
def postgres_only() -> str:
    """Return the PostgreSQL URL, or skip (fail under POLARE_TEST_DATABASE_URL in CI)."""
    url = postgres_url()
    if url is None:
        skip_or_fail("needs PostgreSQL: set POLARE_TEST_DATABASE_URL", "POLARE_REQUIRE_POSTGRES")
    return url


@pytest.fixture
def postgres_app(postgres_only: str, tmp_path: Path) -> Iterator[Flask]:
    """An app on its own PostgreSQL database, dropped afterwards."""
    name = f"polare_own_{uuid.uuid4().hex[:10]}"
    admin = create_engine(postgres_only, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_only).set(database=name).render_as_string(hide_password=False)
    app = make_test_app(url, str(tmp_path))
    try:
        yield app
    finally:
        with app.app_context():
            flask_db.engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def postgres_engine(postgres_app: Flask) -> Engine:
    """The engine of `postgres_app`'s database, with the schema created and nothing in it."""
    with postgres_app.app_context():
        flask_db.create_all()
        return flask_db.engine


@pytest.fixture
def redis_only() -> str:
    """Return the Redis URL of the tests, or skip (fail under POLARE_REQUIRE_REDIS in CI)."""
    url = os.environ.get("POLARE_TEST_REDIS_URL")
    if not url:
        skip_or_fail("needs Redis: set POLARE_TEST_REDIS_URL=redis://127.0.0.1:6379/15",
                     "POLARE_REQUIRE_REDIS")
    return url


_skipped: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under POLARE_FORBID_SKIPS (CI), a skipped test fails the run."""
    if os.environ.get("POLARE_FORBID_SKIPS") and _skipped and exitstatus == 0:
        print(f"\n{len(_skipped)} test(s) skipped, which CI forbids:", *_skipped, sep="\n  ")
        session.exitstatus = 1


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that needs PostgreSQL, so a run can deselect them (-m 'not postgres')."""
    for item in items:
        if "postgres_only" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)



# ---------------------------------------------------------------- pages as rendered (WebTest)


@pytest.fixture
def web(app, db, monkeypatch: pytest.MonkeyPatch) -> webpages.FreshGlobalsTestApp:
    """A WebTest browser with CSRF protection on: forms are submitted as rendered."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    return webpages.FreshGlobalsTestApp(app)
