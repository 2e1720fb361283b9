"""Person pages: registering, the existing-number offer, refusals that keep the input."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from polare.auth.models import Role
from polare.org.models import SchoolYear
from polare.roster.models import Enrolment, EnrolmentStatus, Guardian, Person
from tests.conftest import TODAY, valid_personnummer

NEW_NUMBER = valid_personnummer(date(2009, 6, 1), 456)


@pytest.fixture(autouse=True)
def _today(clock):
    clock.local(TODAY)


def _form(teams, school_year, **overrides):
    data = {"personnummer": NEW_NUMBER[2:], "first_name": "Maja", "last_name": "Åkesson",
            "phone": "070-123 45 67", "email": "", "address": "Rydsvägen 1",
            "school": "Katedralskolan", "notes": "", "prior_years": "0",
            "team_id": teams["Ryd"].id, "school_year_id": school_year.id,
            "guardian_name": "Karin Åkesson", "guardian_phone": "073-765 43 21",
            "guardian_email": "", "guardian_relation": "mamma"}
    data.update(overrides)
    return data


def test_registering_creates_person_guardian_and_application(client, db, login_as, teams,
                                                             school_year):
    login_as(Role.COORDINATOR)
    response = client.post("/roster/persons/new", data=_form(teams, school_year))
    assert response.status_code == 302
    person = db.scalars(select(Person).where(Person.personnummer == NEW_NUMBER)).one()
    assert response.headers["Location"] == f"/roster/persons/{person.id}"
    assert [g.name for g in person.guardians] == ["Karin Åkesson"]
    enrolment = db.scalars(select(Enrolment).where(Enrolment.person_id == person.id)).one()
    assert (enrolment.status, enrolment.team_id) == (EnrolmentStatus.APPLICANT, teams["Ryd"].id)


def test_control_characters_are_refused_and_the_input_kept(client, login_as, teams,
                                                           school_year):
    login_as(Role.COORDINATOR)
    response = client.post("/roster/persons/new",
                           data=_form(teams, school_year, first_name="Ma\x07ja"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Fältet Förnamn innehåller otillåtna tecken" in html
    assert 'value="Åkesson"' in html
    assert 'value="Rydsvägen 1"' in html
    assert 'value="Karin Åkesson"' in html


def test_an_invalid_number_is_refused_naming_why_and_kept(client, login_as, teams,
                                                          school_year):
    login_as(Role.COORDINATOR)
    wrong = NEW_NUMBER[:-1] + str((int(NEW_NUMBER[-1]) + 1) % 10)
    response = client.post("/roster/persons/new",
                           data=_form(teams, school_year, personnummer=wrong))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Kontrollsiffran stämmer inte" in html
    assert f'value="{wrong}"' in html


def test_a_bad_guardian_phone_is_shown_on_the_guardian_field(client, login_as, teams,
                                                             school_year):
    login_as(Role.COORDINATOR)
    response = client.post("/roster/persons/new",
                           data=_form(teams, school_year, guardian_phone="12"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    guardian_field = html[html.index('id="guardian_phone"'):]
    assert "inget giltigt telefonnummer" in guardian_field[:600]


def test_an_existing_number_offers_that_person_instead(client, login_as, teams, school_year,
                                                       polare):
    login_as(Role.COORDINATOR)
    response = client.post("/roster/persons/new", data=_form(
        teams, school_year, personnummer=polare.personnummer))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "redan registrerat i Polare" in html
    assert f'href="/roster/persons/{polare.id}"' in html


def test_another_teams_coordinator_may_enrol_the_existing_person(client, db, login_as, teams,
                                                                 school_year, polare):
    login_as(Role.COORDINATOR, teams=("Berga",))
    html = client.post("/roster/persons/new", data=_form(
        teams, school_year, personnummer=polare.personnummer,
        team_id=teams["Berga"].id)).get_data(as_text=True)
    assert f'href="/roster/persons/{polare.id}"' not in html
    assert "Anmäl som sökande" in html
    response = client.post("/roster/persons/enrol-existing", data={
        "personnummer": polare.personnummer, "team_id": teams["Berga"].id,
        "school_year_id": school_year.id})
    assert response.status_code == 302
    assert {e.team.name for e in db.scalars(select(Enrolment).where(
        Enrolment.person_id == polare.id))} == {"Ryd", "Berga"}


def test_editing_keeps_the_input_on_refusal(client, login_as, polare):
    login_as(Role.COORDINATOR)
    response = client.post(f"/roster/persons/{polare.id}/edit", data={
        "personnummer": polare.personnummer, "first_name": "Elsa", "last_name": "Ek",
        "phone": "inte ett nummer", "school": "Ny skola", "prior_years": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="Ny skola"' in html
    assert 'value="inte ett nummer"' in html


def test_editing_saves_and_shows_the_phone_swedish_style(client, login_as, polare):
    login_as(Role.COORDINATOR)
    response = client.post(f"/roster/persons/{polare.id}/edit", data={
        "personnummer": polare.personnummer, "first_name": "Elsa", "last_name": "Ek",
        "phone": "+46701234567", "prior_years": "0"})
    assert response.status_code == 302
    assert "070-123 45 67" in client.get(f"/roster/persons/{polare.id}").get_data(as_text=True)


def test_guardians_are_added_and_removed_on_the_person_page(client, db, login_as, polare):
    login_as(Role.COORDINATOR)
    response = client.post(f"/roster/persons/{polare.id}/guardians/new", data={
        "name": "Per Ek", "phone": "070-111 22 33", "relation": "pappa"})
    assert response.status_code == 302
    guardian = db.scalars(select(Guardian).where(Guardian.person_id == polare.id)).one()
    assert "Per Ek" in client.get(f"/roster/persons/{polare.id}").get_data(as_text=True)
    assert client.post(f"/roster/guardians/{guardian.id}/remove").status_code == 302
    assert db.scalars(select(Guardian).where(Guardian.person_id == polare.id)).all() == []


def test_person_page_shows_enrolments_across_years_and_the_history(client, db, login_as,
                                                                  make_person, make_enrolment):
    login_as(Role.COORDINATOR, teams=("Ryd", "Berga"))
    person = make_person(first_name="Noah", last_name="Lindqvist", birth_date=date(2007, 6, 5))
    previous = db.scalars(select(SchoolYear).where(SchoolYear.label == "2025/26")).one()
    make_enrolment(person, "Berga", school_year=previous)
    make_enrolment(person, "Ryd")
    html = client.get(f"/roster/persons/{person.id}").get_data(as_text=True)
    assert "2025/26" in html
    assert "Berga" in html
    assert "År i verksamheten: 2" in html
    assert "19 år" in html
    assert "Historik" in html
