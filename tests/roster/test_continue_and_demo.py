"""The next-year page and the demo data."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from polare.auth.models import Role
from polare.org.models import SchoolYear, Team
from polare.roster.demo import load_demo
from polare.roster.models import Enrolment, EnrolmentStatus, Person
from polare.roster.services import age_on, years_in_programme_on
from tests.conftest import TODAY


@pytest.fixture(autouse=True)
def _today(clock):
    clock.local(TODAY)


def test_continue_page_enrols_the_chosen_as_applicants_next_year(client, db, login_as, teams,
                                                                 school_year, fill_team):
    login_as(Role.COORDINATOR)
    active = fill_team("Ryd", 3)
    query = {"team": teams["Ryd"].id, "year": school_year.id}
    html = client.get("/roster/continue", query_string=query).get_data(as_text=True)
    assert "Fortsätt till 2027/28" in html
    response = client.post("/roster/continue", query_string=query,
                           data={"person_ids": [active[0].person_id, active[1].person_id]})
    assert response.status_code == 302
    next_year = db.scalars(select(SchoolYear).where(SchoolYear.label == "2027/28")).one()
    enrolled = db.scalars(select(Enrolment).where(Enrolment.school_year_id == next_year.id))
    assert {(e.person_id, e.status) for e in enrolled} == {
        (active[0].person_id, EnrolmentStatus.APPLICANT),
        (active[1].person_id, EnrolmentStatus.APPLICANT)}


def test_continue_with_nobody_chosen_is_refused(client, db, login_as, teams, school_year,
                                               fill_team):
    login_as(Role.COORDINATOR)
    fill_team("Ryd", 1)
    db.commit()
    response = client.post("/roster/continue", query_string={"team": teams["Ryd"].id,
                                                             "year": school_year.id}, data={})
    assert response.status_code == 422
    assert "Välj minst en polare" in response.get_data(as_text=True)


def _active(db, team: str) -> int:
    return db.scalar(select(func.count(Enrolment.id)).join(Team).join(Enrolment.school_year)
                     .where(Team.name == team, SchoolYear.label == "2026/27",
                            Enrolment.status == EnrolmentStatus.ACTIVE))


def test_demo_loads_once_with_rules_kept(db):
    load_demo(db, TODAY)
    load_demo(db, TODAY)
    assert _active(db, "Ryd") == 16
    assert _active(db, "Berga") >= 2
    assert _active(db, "Skäggetorp") >= 2
    for enrolment in db.scalars(select(Enrolment).where(
            Enrolment.status == EnrolmentStatus.ACTIVE)):
        if age_on(enrolment.person.birth_date, enrolment.activated_on) < 18:
            assert enrolment.consent_date is not None
    returning = db.scalars(select(Person).where(Person.last_name == "Lindqvist")).one()
    assert years_in_programme_on(db, returning, TODAY) == 2
    assert db.scalar(select(func.count(Enrolment.id)).where(
        Enrolment.status == EnrolmentStatus.WAITLISTED)) >= 1
