"""Years in programme: distinct school years with an ever-active enrolment, plus prior years."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from polare.org.models import SchoolYear
from polare.roster.models import EnrolmentStatus
from polare.roster.services import years_in_programme_by_person, years_in_programme_on
from tests.conftest import TODAY
from tests.statements import counted_statements


@pytest.fixture
def years(db) -> dict[str, SchoolYear]:
    return {y.label: y for y in db.scalars(select(SchoolYear))}


def test_first_year_polare_has_one(db, polare):
    assert years_in_programme_on(db, polare, TODAY) == 1


def test_an_applicant_never_activated_has_none(db, make_person, make_enrolment):
    person = make_person()
    make_enrolment(person, "Ryd", status=EnrolmentStatus.APPLICANT)
    assert years_in_programme_on(db, person, TODAY) == 0


def test_a_gap_year_is_not_counted(db, make_person, make_enrolment, years):
    person = make_person()
    make_enrolment(person, "Ryd", school_year=years["2024/25"])
    make_enrolment(person, "Ryd", school_year=years["2026/27"])
    assert years_in_programme_on(db, person, date(2025, 11, 1)) == 1
    assert years_in_programme_on(db, person, TODAY) == 2


def test_changing_team_keeps_the_years(db, make_person, make_enrolment, years):
    person = make_person()
    make_enrolment(person, "Berga", school_year=years["2025/26"])
    make_enrolment(person, "Ryd", school_year=years["2026/27"])
    assert years_in_programme_on(db, person, TODAY) == 2


def test_two_teams_in_one_school_year_count_once(db, make_person, make_enrolment):
    person = make_person()
    make_enrolment(person, "Berga", status=EnrolmentStatus.ENDED, ended_on=date(2026, 9, 1))
    make_enrolment(person, "Ryd", activated_on=date(2026, 9, 1))
    assert years_in_programme_on(db, person, TODAY) == 1


def test_an_ended_enrolment_still_counts_its_year(db, make_person, make_enrolment, years):
    person = make_person()
    make_enrolment(person, "Ryd", school_year=years["2025/26"], status=EnrolmentStatus.ENDED,
                   ended_on=date(2025, 12, 1))
    make_enrolment(person, "Ryd")
    assert years_in_programme_on(db, person, TODAY) == 2


def test_prior_years_are_added(db, make_person, make_enrolment):
    person = make_person(prior_years=2)
    make_enrolment(person, "Ryd")
    assert years_in_programme_on(db, person, TODAY) == 3


def test_later_school_years_do_not_count_yet(db, make_person, make_enrolment, years):
    person = make_person()
    make_enrolment(person, "Ryd")
    make_enrolment(person, "Ryd", school_year=years["2027/28"])
    assert years_in_programme_on(db, person, TODAY) == 1
    assert years_in_programme_on(db, person, date(2027, 9, 1)) == 2


def test_many_persons_at_once_agree_with_one_at_a_time(db, make_person, make_enrolment, years):
    first, second = make_person(prior_years=1), make_person()
    make_enrolment(first, "Ryd", school_year=years["2025/26"])
    make_enrolment(first, "Ryd")
    make_enrolment(second, "Berga")
    assert years_in_programme_by_person(db, [first.id, second.id], TODAY) == {
        first.id: 3, second.id: 1}


def test_many_persons_are_read_in_one_statement_given_the_school_year(
        db, make_person, make_enrolment, years):
    veteran, newcomer = make_person(prior_years=2), make_person()
    never_active = make_person(prior_years=1)
    make_enrolment(veteran, "Ryd", school_year=years["2025/26"])
    make_enrolment(veteran, "Ryd")
    make_enrolment(newcomer, "Berga")
    make_enrolment(never_active, "Ryd", status=EnrolmentStatus.APPLICANT)
    db.flush()
    with counted_statements() as sent:
        found = years_in_programme_by_person(
            db, [veteran.id, newcomer.id, never_active.id], TODAY, years["2026/27"])
    assert found == {veteran.id: 4, newcomer.id: 1, never_active.id: 1}
    assert len(sent) == 1


def test_a_school_year_given_must_hold_the_day(db, polare, years):
    with pytest.raises(ValueError, match="not in the school year 2025/26"):
        years_in_programme_by_person(db, [polare.id], TODAY, years["2025/26"])
