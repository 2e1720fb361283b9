"""A fixed data set for retention and registerutdrag tests (TODAY = 2026-11-25)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from types import SimpleNamespace

import pytest

from polare.audit.services import record
from polare.org.models import Settings
from polare.roster.models import EnrolmentStatus
from tests.conftest import TODAY
from tests.privacy import factories

DECISION_REF = "SOCN 2026/123"


@pytest.fixture
def decision(db) -> str:
    """Set the deletion decision (gallringsbeslut) reference; return it."""
    settings = db.get(Settings, 1)
    settings.deletion_decision_ref = DECISION_REF
    record(db, None, "update", "settings", 1, note="test fixture")
    db.commit()
    return DECISION_REF


@pytest.fixture
def on_day(clock) -> Callable[[date], None]:
    """Make the privacy pages and commands believe today is the given day."""
    clock.local(TODAY)
    return clock.local


@pytest.fixture
def world(db, teams, make_person, make_enrolment, school_year):
    """Polare in every situation the retention rules tell apart, with their records."""
    ryd = teams["Ryd"]
    y17, y18, y24 = (factories.school_year(db, start) for start in (2017, 2018, 2024))

    gone = make_person(first_name="Greta", last_name="Gammal", birth_date=date(2001, 2, 3),
                       phone="+46705550001")
    make_enrolment(gone, "Ryd", school_year=y17, status=EnrolmentStatus.ENDED,
                   activated_on=date(2017, 8, 20), ended_on=date(2018, 6, 15))
    walk_2018 = factories.walk(db, ryd, date(2018, 5, 20), [gone])
    factories.pay_line(db, "2018-05", gone, walk_2018)

    paid_2019 = make_person(first_name="Pelle", last_name="Nitton", birth_date=date(2002, 4, 5))
    make_enrolment(paid_2019, "Ryd", school_year=y18, status=EnrolmentStatus.ENDED,
                   activated_on=date(2018, 8, 20), ended_on=date(2019, 5, 31))
    walk_2019 = factories.walk(db, ryd, date(2019, 5, 10), [paid_2019])
    factories.pay_line(db, "2019-05", paid_2019, walk_2019)

    left = make_person(first_name="Elsa", last_name="Slut", birth_date=date(2008, 3, 14),
                       phone="+46705550002", email="elsa@example.se", address="Rydsvägen 1",
                       school="Katedralskolan", notes="Allergisk mot nötter")
    mother = factories.guardian(db, left, "Maria Slut")
    factories.guardian(db, left, "Mats Slut", phone="+46705550003")
    make_enrolment(left, "Ryd", school_year=y24, status=EnrolmentStatus.ENDED,
                   activated_on=date(2024, 8, 15), ended_on=date(2024, 10, 31),
                   end_reason="Flyttade till Malmö", consent_date=date(2024, 8, 10),
                   consent_guardian_id=mother.id)
    walk_2024 = factories.walk(db, ryd, date(2024, 9, 10), [left])
    factories.pay_line(db, "2024-09", left, walk_2024)
    factories.event(db, ryd, date(2024, 9, 20), [left])

    boundary = make_person(first_name="Bo", last_name="Gräns", birth_date=date(2008, 5, 6))
    make_enrolment(boundary, "Ryd", school_year=y24, status=EnrolmentStatus.ENDED,
                   activated_on=date(2024, 8, 15), ended_on=date(2024, 11, 25))

    active = make_person(first_name="Alva", last_name="Aktiv", birth_date=date(2008, 7, 8))
    make_enrolment(active, "Ryd", school_year=y24, status=EnrolmentStatus.ENDED,
                   activated_on=date(2024, 8, 15), ended_on=date(2024, 10, 1))
    make_enrolment(active, "Ryd", school_year=school_year)

    waiting = make_person(first_name="Wilma", last_name="Väntar", birth_date=date(2008, 9, 10))
    make_enrolment(waiting, "Ryd", school_year=y24, status=EnrolmentStatus.WAITLISTED)

    declined = make_person(first_name="Dan", last_name="Nej", birth_date=date(2008, 11, 12))
    make_enrolment(declined, "Berga", school_year=y24, status=EnrolmentStatus.DECLINED)

    nobody = make_person(first_name="Nils", last_name="Utan", birth_date=date(2007, 1, 2),
                         created_at=datetime(2023, 1, 10, 9, 0))
    db.commit()  # into the test's outer transaction: a rollback in the code under test keeps it
    return SimpleNamespace(gone=gone, paid_2019=paid_2019, left=left, boundary=boundary,
                           active=active, waiting=waiting, declined=declined, nobody=nobody,
                           mother=mother)
