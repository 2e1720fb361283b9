"""Personnummer lookups: another team's number names no one, enrolling shows only own history.

Issue 16: a match outside the coordinator's teams says only that the number is registered and
offers to enrol the person as an applicant; afterwards the coordinator sees identity, contact
and guardians, and only their own teams' enrolments, walks and stipends. Every match and every
search by number is audited, and lookups are limited per user.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from polare.audit.models import AuditEntry
from polare.auth.models import Role
from polare.extensions import limiter
from polare.roster.models import Enrolment, EnrolmentStatus
from tests.privacy import factories
from tests.webpages import form_to


@pytest.fixture
def berga_person(db, teams, make_person, make_enrolment):
    """A Berga polare with a guardian, a walk, an event and a stipend in Berga."""
    person = make_person(first_name="Berit", last_name="Bergström", phone="+46709998877",
                         birth_date=date(2008, 4, 4))
    factories.guardian(db, person, "Bodil Bergström")
    make_enrolment(person, "Berga", activated_on=date(2026, 8, 20))
    walk = factories.walk(db, teams["Berga"], date(2026, 10, 9), [person],
                          meeting_point="Bergatorget")
    factories.event(db, teams["Berga"], date(2026, 10, 5), [person], title="Bergakursen")
    line = factories.pay_line(db, "2026-10", person, walk, amount="777.00")
    line.team_name = "Berga"
    db.commit()
    return person


def _new_person_form(webapp, number: str):
    page = webapp.get("/roster/persons/new")
    form = next(f for f in page.forms.values() if "first_name" in f.fields)
    form["personnummer"] = number
    form["first_name"] = "Någon"
    form["last_name"] = "Annan"
    return form


def _lookups(db, person_id: int | None = None) -> int:
    query = select(func.count(AuditEntry.id)).where(AuditEntry.action == "lookup")
    if person_id is not None:
        query = query.where(AuditEntry.entity_id == str(person_id))
    return db.scalar(query)


def test_new_person_with_another_teams_number_names_no_one(webapp, web_login_as,
                                                           berga_person):
    web_login_as(Role.COORDINATOR, teams=("Ryd",))
    response = _new_person_form(webapp, berga_person.personnummer).submit(status=422)
    assert "redan registrerat i ett annat team" in response.text
    assert "Anmäl som sökande" in response.text
    assert "Berit" not in response.text
    assert "Bergström" not in response.text


def test_a_match_on_another_teams_number_is_audited(db, webapp, web_login_as, berga_person):
    web_login_as(Role.COORDINATOR, teams=("Ryd",))
    _new_person_form(webapp, berga_person.personnummer).submit(status=422)
    assert _lookups(db, berga_person.id) == 1


def test_enrolling_another_teams_person_makes_an_applicant_in_own_team(
    db, webapp, web_login_as, teams, berga_person
):
    web_login_as(Role.COORDINATOR, teams=("Ryd",))
    refused = _new_person_form(webapp, berga_person.personnummer).submit(status=422)
    enrol = next(f for f in refused.forms.values() if f.action.endswith("/enrol-existing"))
    assert enrol.submit().status_int == 302
    ryd = db.scalars(select(Enrolment).where(Enrolment.person_id == berga_person.id,
                                             Enrolment.team_id == teams["Ryd"].id)).one()
    assert ryd.status == EnrolmentStatus.APPLICANT
    assert _lookups(db, berga_person.id) == 2


def test_after_enrolling_the_coordinator_sees_identity_contact_and_guardians(
    webapp, web_login_as, make_enrolment, berga_person
):
    web_login_as(Role.COORDINATOR, teams=("Ryd",))
    make_enrolment(berga_person, "Ryd", status=EnrolmentStatus.APPLICANT)
    html = webapp.get(f"/roster/persons/{berga_person.id}").text
    assert "Bergström" in html
    assert "070-999 88 77" in html
    assert "Bodil Bergström" in html


def test_after_enrolling_the_coordinator_sees_only_own_teams_history(
    webapp, web_login_as, make_enrolment, berga_person
):
    web_login_as(Role.COORDINATOR, teams=("Ryd",))
    make_enrolment(berga_person, "Ryd", status=EnrolmentStatus.APPLICANT)
    html = webapp.get(f"/roster/persons/{berga_person.id}").text
    assert "Berga" not in html  # enrolment, walk (team, district), event, stipend, history
    assert "Bergakursen" not in html
    assert "777,00" not in html


def test_activating_another_teams_active_polare_does_not_name_their_team(
    webapp, web_login_as, make_enrolment, berga_person, clock
):
    web_login_as(Role.COORDINATOR, teams=("Ryd",))
    ryd = make_enrolment(berga_person, "Ryd", status=EnrolmentStatus.APPLICANT)
    form = form_to(webapp.get(f"/roster/enrolments/{ryd.id}"),
                   f"/roster/enrolments/{ryd.id}/activate")
    form["on"] = "2026-11-20"
    response = form.submit(status=422)
    assert "Berit Bergström är redan aktiv i ett annat team 2026/27" in response.text
    assert "Berga" not in response.text


def test_coordinator_of_both_teams_sees_the_whole_history(webapp, web_login_as, berga_person):
    web_login_as(Role.COORDINATOR, teams=("Ryd", "Berga"))
    html = webapp.get(f"/roster/persons/{berga_person.id}").text
    assert "Bergakursen" in html
    assert "777,00" in html


def test_editing_a_person_to_another_teams_number_names_no_one(
    webapp, web_login_as, polare, berga_person
):
    web_login_as(Role.COORDINATOR, teams=("Ryd",))
    form = next(f for f in webapp.get(f"/roster/persons/{polare.id}/edit").forms.values()
                if "personnummer" in f.fields)
    form["personnummer"] = berga_person.personnummer
    response = form.submit(status=422)
    assert "redan registrerat" in response.text
    assert "Bergström" not in response.text


def _edit_form(webapp, person):
    return next(f for f in webapp.get(f"/roster/persons/{person.id}/edit").forms.values()
                if "personnummer" in f.fields)


def test_a_match_when_editing_a_persons_number_is_audited(db, webapp, web_login_as, polare,
                                                          berga_person):
    web_login_as(Role.COORDINATOR, teams=("Ryd",))
    form = _edit_form(webapp, polare)
    form["personnummer"] = berga_person.personnummer
    form.submit(status=422)
    assert _lookups(db, berga_person.id) == 1


def _number_search(webapp, teams, number: str):
    page = webapp.get(f"/roster/?team={teams['Ryd'].id}")
    form = next(f for f in page.forms.values() if "q" in f.fields)
    form["q"] = number
    return form.submit(status="*")


def test_personnummer_search_is_audited(db, webapp, web_login_as, teams, polare):
    web_login_as(Role.COORDINATOR, teams=("Ryd",))
    before = _lookups(db)
    assert _number_search(webapp, teams, polare.personnummer).status_int == 200
    assert _lookups(db) == before + 1


@pytest.fixture
def two_lookups_an_hour(app):
    """Limit personnummer lookups to two an hour for the test."""
    app.config["PNR_LOOKUP_LIMIT"] = "2 per hour"
    limiter.reset()
    yield
    app.config["PNR_LOOKUP_LIMIT"] = "10000 per minute"
    limiter.reset()


def test_personnummer_lookups_are_limited_per_user(webapp, web_login_as, teams, polare,
                                                   two_lookups_an_hour):
    web_login_as(Role.COORDINATOR, teams=("Ryd",))
    answers = [_number_search(webapp, teams, polare.personnummer) for _ in range(3)]
    assert [a.status_int for a in answers] == [200, 200, 429]
    assert "för många sökningar på personnummer" in answers[2].text
    assert 0 < int(answers[2].headers["Retry-After"]) <= 3600
    assert "Ek, Elsa" in answers[1].text


def test_the_lookup_limit_is_per_user(webapp, web_login_as, teams, polare,
                                      two_lookups_an_hour):
    web_login_as(Role.COORDINATOR, teams=("Ryd",))
    for _ in range(2):
        _number_search(webapp, teams, polare.personnummer)
    web_login_as(Role.COORDINATOR, teams=("Ryd",))
    assert _number_search(webapp, teams, polare.personnummer).status_int == 200


def test_new_person_registrations_count_as_lookups(webapp, web_login_as, berga_person,
                                                   two_lookups_an_hour):
    web_login_as(Role.COORDINATOR, teams=("Ryd",))
    answers = [_new_person_form(webapp, berga_person.personnummer).submit(status="*")
               for _ in range(3)]
    assert [a.status_int for a in answers] == [422, 422, 429]


def test_changing_a_persons_number_counts_as_a_lookup(webapp, web_login_as, polare,
                                                     berga_person, two_lookups_an_hour):
    web_login_as(Role.COORDINATOR, teams=("Ryd",))
    answers = []
    for _ in range(3):
        form = _edit_form(webapp, polare)
        form["personnummer"] = berga_person.personnummer
        answers.append(form.submit(status="*"))
    assert [a.status_int for a in answers] == [422, 422, 429]
    assert "för många sökningar på personnummer" in answers[2].text
    assert 0 < int(answers[2].headers["Retry-After"]) <= 3600


def test_saving_a_person_with_the_same_number_is_no_lookup(webapp, web_login_as, polare,
                                                          two_lookups_an_hour):
    web_login_as(Role.COORDINATOR, teams=("Ryd",))
    for _ in range(3):
        form = _edit_form(webapp, polare)
        form["school"] = "Ryds skola"
        assert form.submit().status_int == 302


def test_enrolling_an_existing_person_refuses_a_tampered_team(db, webapp, web_login_as, teams,
                                                              berga_person):
    web_login_as(Role.COORDINATOR, teams=("Ryd",))
    refused = _new_person_form(webapp, berga_person.personnummer).submit(status=422)
    enrol = next(f for f in refused.forms.values() if f.action.endswith("/enrol-existing"))
    enrol["team_id"].force_value(str(teams["Skäggetorp"].id))
    assert enrol.submit(status="*").status_int == 404
    assert {e.team_id for e in db.scalars(select(Enrolment).where(
        Enrolment.person_id == berga_person.id))} == {teams["Berga"].id}


@pytest.mark.parametrize("field", ["team_id", "school_year_id"])
def test_enrolling_an_existing_person_answers_an_id_out_of_range_404(db, webapp, web_login_as,
                                                                   berga_person, field):
    web_login_as(Role.ADMIN)
    refused = _new_person_form(webapp, berga_person.personnummer).submit(status=422)
    enrol = next(f for f in refused.forms.values() if f.action.endswith("/enrol-existing"))
    enrol[field].force_value("9" * 23)
    assert enrol.submit(status="*").status_int == 404
