"""30 coordinators race for the last place of a team: exactly one wins, on both databases.

Each racer is a real HTTP request through the app, in its own thread with its own database
connection, against committed data in a database made for this test and removed afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from polare.auth.models import Role
from polare.auth.services import create_user
from polare.extensions import db as flask_db
from polare.org.seed import seed_reference_data
from polare.org.services import school_year_on, team_by_name
from polare.roster.models import Enrolment, EnrolmentStatus
from polare.roster.services import (
    PersonInput,
    activate_enrolment,
    create_enrolment,
    create_person,
)
from tests.conftest import TEST_PASSWORD, TODAY, make_test_app, valid_personnummer

RACERS = 30
CAP = 20
ON = date(2026, 11, 20)
REFUSAL = "Ryd har redan 20 aktiva polare 2026/27"


def _prepare(app: Flask) -> list[int]:
    """Create the schema, 19 active polare in Ryd and 30 applicants; return the applicants."""
    with app.app_context():
        session = flask_db.session
        flask_db.create_all()
        seed_reference_data(session, TODAY)
        ryd = team_by_name(session, "Ryd")
        year = school_year_on(session, ON)
        create_user(session, None, username="racer", password=TEST_PASSWORD,
                    role=Role.COORDINATOR, teams=[ryd])
        applicants = []
        for serial in range(CAP - 1 + RACERS):
            person = create_person(session, None, PersonInput(
                personnummer=valid_personnummer(date(2007, 1, 10), 100 + serial),
                first_name=f"Racer{serial}", last_name="Lopp"), today=TODAY)
            enrolment = create_enrolment(session, None, person, ryd.id, year.id, on=ON)
            if serial < CAP - 1:
                activate_enrolment(session, None, enrolment.id, on=ON)
            else:
                applicants.append(enrolment.id)
        session.commit()
        return applicants


def _race(app: Flask, applicant_ids: list[int]) -> list[tuple[int, str]]:
    """Let every applicant be activated at the same moment by its own request."""
    login = app.test_client()
    response = login.post("/login", data={"username": "racer", "password": TEST_PASSWORD})
    assert response.status_code == 302
    cookie = login.get_cookie("session")
    barrier = threading.Barrier(len(applicant_ids))
    results: list[tuple[int, str]] = []
    lock = threading.Lock()

    def activate(enrolment_id: int) -> None:
        client = app.test_client()
        client.set_cookie("session", cookie.value)
        barrier.wait()
        reply = client.post(f"/roster/enrolments/{enrolment_id}/activate",
                            data={"on": ON.isoformat()})
        with lock:
            results.append((reply.status_code, reply.get_data(as_text=True)))

    threads = [threading.Thread(target=activate, args=(eid,)) for eid in applicant_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _active_count(app: Flask) -> int:
    with app.app_context():
        count = flask_db.session.scalar(
            select(func.count(Enrolment.id)).where(Enrolment.status == EnrolmentStatus.ACTIVE))
        flask_db.session.remove()
        return count


def _assert_exactly_one_won(app: Flask, results: list[tuple[int, str]]) -> None:
    statuses = sorted(status for status, _body in results)
    assert len(results) == RACERS
    assert all(status < 500 for status in statuses), statuses
    assert statuses.count(302) == 1, statuses
    refused = [body for status, body in results if status != 302]
    assert all(status == 422 for status in statuses if status != 302), statuses
    assert all(REFUSAL in body for body in refused)
    assert _active_count(app) == CAP


@pytest.fixture
def sqlite_app(tmp_path: Path) -> Iterator[Flask]:
    """An app on its own SQLite file, removed with tmp_path."""
    app = make_test_app(f"sqlite:///{tmp_path / 'race.sqlite3'}", str(tmp_path))
    yield app
    with app.app_context():
        flask_db.engine.dispose()


def test_thirty_racing_for_the_last_place_on_sqlite_one_wins(sqlite_app):
    applicants = _prepare(sqlite_app)
    _assert_exactly_one_won(sqlite_app, _race(sqlite_app, applicants))


@pytest.mark.postgres
def test_thirty_racing_for_the_last_place_on_postgresql_one_wins(postgres_app):
    applicants = _prepare(postgres_app)
    _assert_exactly_one_won(postgres_app, _race(postgres_app, applicants))
