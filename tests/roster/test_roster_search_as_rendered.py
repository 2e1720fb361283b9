"""Every search and filter form of the roster works as rendered, with CSRF on (issue 20)."""

from __future__ import annotations

import pytest

from polare.auth.models import Role
from polare.roster.models import EnrolmentStatus

#: Roles that reach the roster, with the teams they work with.
ROSTER_ROLES = [
    (Role.COORDINATOR, ("Ryd",)),
    (Role.SUPERVISOR, ("Ryd",)),
    (Role.PAYROLL, ()),
    (Role.ADMIN, ()),
]


@pytest.fixture
def roster(make_person, make_enrolment, teams, db):
    """Ryd's roster: Elsa active, Bo an applicant."""
    elsa = make_person(first_name="Elsa", last_name="Ek")
    make_enrolment(elsa, "Ryd")
    bo = make_person(first_name="Bo", last_name="Holm")
    make_enrolment(bo, "Ryd", status=EnrolmentStatus.APPLICANT)
    db.commit()
    return {"elsa": elsa, "bo": bo}


def _search_form(webapp, teams):
    page = webapp.get(f"/roster/?team={teams['Ryd'].id}")
    return next(form for form in page.forms.values() if "q" in form.fields)


def _shown(response) -> str:
    """Follow a redirect to the pageable address; return the page's text."""
    if response.status_int == 302:
        response = response.follow()
    return response.text


@pytest.mark.parametrize(("role", "teams_"), ROSTER_ROLES)
def test_roster_name_search_works_as_rendered(webapp, web_login_as, teams, roster, role,
                                              teams_):
    web_login_as(role, teams=teams_)
    form = _search_form(webapp, teams)
    form["q"] = "Holm"
    html = _shown(form.submit())
    assert "Holm, Bo" in html
    assert "Ek, Elsa" not in html


@pytest.mark.parametrize(("role", "teams_"), ROSTER_ROLES)
def test_roster_status_filter_works_as_rendered(webapp, web_login_as, teams, roster, role,
                                                teams_):
    web_login_as(role, teams=teams_)
    form = _search_form(webapp, teams)
    form["status"] = "applicant"
    html = _shown(form.submit())
    assert "Holm, Bo" in html
    assert "Ek, Elsa" not in html


@pytest.mark.parametrize(("role", "teams_"), ROSTER_ROLES)
def test_roster_missing_training_filter_works_as_rendered(webapp, web_login_as, teams, roster,
                                                          role, teams_):
    web_login_as(role, teams=teams_)
    form = _search_form(webapp, teams)
    form["training"] = True
    response = form.submit()
    assert response.status_int in (200, 302)
    assert "Formuläret har gått ut" not in _shown(response)


@pytest.mark.parametrize(("role", "teams_"), ROSTER_ROLES)
def test_roster_consent_filter_works_as_rendered(webapp, web_login_as, teams, roster, role,
                                                 teams_):
    web_login_as(role, teams=teams_)
    form = _search_form(webapp, teams)
    form["consent"] = True
    html = _shown(form.submit())
    assert "Ek, Elsa" in html  # 17 and no consent on file
    assert "Holm, Bo" in html


@pytest.mark.parametrize(("role", "teams_"), [(Role.COORDINATOR, ("Ryd",)), (Role.ADMIN, ())])
def test_roster_personnummer_search_works_as_rendered(webapp, web_login_as, teams, roster,
                                                      role, teams_):
    web_login_as(role, teams=teams_)
    form = _search_form(webapp, teams)
    form["q"] = roster["elsa"].personnummer
    response = form.submit()
    assert response.status_int == 200
    assert "Ek, Elsa" in response.text
    assert "Holm, Bo" not in response.text


def test_roster_filters_from_an_address_keep_working_when_sent_again(webapp, web_login_as,
                                                                     teams, roster):
    web_login_as(Role.COORDINATOR)
    page = webapp.get(f"/roster/?team={teams['Ryd'].id}&status=active")
    form = next(form for form in page.forms.values() if "q" in form.fields)
    assert form["status"].value == "active"
    html = _shown(form.submit())
    assert "Ek, Elsa" in html
    assert "Holm, Bo" not in html


def test_start_page_training_link_opens_the_roster_filtered_on_missing_training(
    webapp, web_login_as, teams, roster, db
):
    from polare.events.models import EventType

    required = db.query(EventType).filter_by(name="Ledarskapsutbildning").one()
    required.required = True
    db.commit()
    web_login_as(Role.COORDINATOR)
    start = webapp.get("/")
    roster_page = start.click(description="Se vilka polare som saknar utbildning")
    form = next(form for form in roster_page.forms.values() if "q" in form.fields)
    assert form["training"].checked
