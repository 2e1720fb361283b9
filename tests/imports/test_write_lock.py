"""A large import does not lock others out: the file is read before the write lock is taken.

On SQLite every writing transaction holds the database's write lock from its first statement.
These tests run the app on its own SQLite file, with real threads and connections.
"""

from __future__ import annotations

import io
import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from polare.auth.models import Role
from polare.auth.services import create_user
from polare.extensions import db as flask_db
from polare.imports import routes as import_routes
from polare.org.seed import seed_reference_data
from polare.org.services import team_by_name
from polare.roster.models import Enrolment, Person
from tests.conftest import TEST_PASSWORD, TODAY, make_test_app, valid_personnummer
from tests.imports.conftest import xlsx_file

IMPORT_ROWS = 1000
SAVERS = 6


def polare_rows(count: int) -> list[list[object]]:
    """Return `count` applicants for Ryd 2026/27, each a different adult."""
    rows = []
    for n in range(count):
        birth = date(2006, 1, 1) + timedelta(days=n // 900)
        rows.append([valid_personnummer(birth, 100 + n % 900), f"Import{n}", "Fil", "", "",
                     "Ryd", "2026/27", "sökande", None, "", "", None, None])
    return rows


@pytest.fixture
def file_app(tmp_path: Path) -> Iterator[Flask]:
    """An app on its own SQLite file with an importing coordinator and SAVERS others."""
    app = make_test_app(f"sqlite:///{tmp_path / 'lock.sqlite3'}", str(tmp_path))
    with app.app_context():
        session = flask_db.session
        flask_db.create_all()
        seed_reference_data(session, TODAY)
        ryd = team_by_name(session, "Ryd")
        for username in ["importer", *(f"saver{n}" for n in range(SAVERS))]:
            create_user(session, None, username=username, password=TEST_PASSWORD,
                        role=Role.COORDINATOR, teams=[ryd])
        session.commit()
        session.remove()
    yield app
    with app.app_context():
        flask_db.engine.dispose()


def _logged_in(app: Flask, username: str):
    client = app.test_client()
    reply = client.post("/login", data={"username": username, "password": TEST_PASSWORD})
    assert reply.status_code == 302, reply.get_data(as_text=True)
    return client


def _upload(client, data: bytes):
    return client.post("/imports/", data={"kind": "polare",
                                          "file": (io.BytesIO(data), "stor.xlsx")},
                       content_type="multipart/form-data")


def _register(app: Flask, n: int) -> tuple[int, int]:
    """Log in as saver n and register one polare; return both answers' status codes."""
    client = app.test_client()
    login = client.post("/login", data={"username": f"saver{n}", "password": TEST_PASSWORD})
    with app.app_context():
        ryd = team_by_name(flask_db.session, "Ryd").id
        flask_db.session.remove()
    saved = client.post("/roster/persons/new", data={
        "personnummer": valid_personnummer(date(2005, 3, 3), 900 + n), "first_name": f"Spar{n}",
        "last_name": "Sparad", "prior_years": "0", "team_id": str(ryd),
        "school_year_id": str(_year_id(app))})
    return login.status_code, saved.status_code


def _year_id(app: Flask) -> int:
    from polare.org.models import SchoolYear

    with app.app_context():
        year_id = flask_db.session.scalar(select(SchoolYear.id)
                                          .where(SchoolYear.label == "2026/27"))
        flask_db.session.remove()
    return year_id


def _count(app: Flask, query) -> int:
    with app.app_context():
        count = flask_db.session.scalar(query)
        flask_db.session.remove()
    return count


def test_logins_and_saves_during_a_large_import_all_succeed(file_app):
    importer = _logged_in(file_app, "importer")
    data = xlsx_file("polare", polare_rows(IMPORT_ROWS))
    answers: dict[str, object] = {}

    def run_import() -> None:
        answers["import"] = _upload(importer, data).status_code

    def save(n: int) -> None:
        answers[f"saver{n}"] = _register(file_app, n)

    importing = threading.Thread(target=run_import)
    importing.start()
    savers = []
    for n in range(SAVERS):
        time.sleep(0.3)
        savers.append(threading.Thread(target=save, args=(n,)))
        savers[-1].start()
    for thread in [importing, *savers]:
        thread.join(timeout=120)
    assert answers.pop("import") == 302
    assert set(answers.values()) == {(302, 302)}, answers
    assert _count(file_app, select(func.count(Person.id))
                  .where(Person.last_name == "Sparad")) == SAVERS
    assert _count(file_app, select(func.count(Enrolment.id))) == IMPORT_ROWS + SAVERS


def test_the_file_is_read_while_others_may_write(file_app, tmp_path, monkeypatch):
    importer = _logged_in(file_app, "importer")
    writes_while_reading = []
    read_import = import_routes.read_import

    def read_and_write_meanwhile(*args, **kwargs):
        other = sqlite3.connect(tmp_path / "lock.sqlite3", timeout=0)
        try:
            other.execute("BEGIN IMMEDIATE")  # fails at once if the import held the lock
            other.execute("ROLLBACK")
            writes_while_reading.append(True)
        finally:
            other.close()
        return read_import(*args, **kwargs)

    monkeypatch.setattr(import_routes, "read_import", read_and_write_meanwhile)
    assert _upload(importer, xlsx_file("polare", polare_rows(3))).status_code == 302
    assert writes_while_reading == [True]
