"""Who sees what: team scope (404), read-only roles, masked personnummer, never in a URL."""

from __future__ import annotations

import re

import pytest

from polare.auth.models import Role
from tests.conftest import TODAY


@pytest.fixture(autouse=True)
def _today(clock):
    clock.local(TODAY)


def _roster_html(client, teams, school_year, team="Ryd"):
    return client.get("/roster/", query_string={"team": teams[team].id,
                                                "year": school_year.id}).get_data(as_text=True)


@pytest.mark.parametrize("path", [
    "/roster/persons/{person}", "/roster/persons/{person}/edit",
    "/roster/enrolments/{enrolment}",
])
def test_another_teams_coordinator_gets_404_on_a_ryd_person(client, login_as, polare, path):
    login_as(Role.COORDINATOR, teams=("Berga",))
    url = path.format(person=polare.id, enrolment=polare.enrolments[0].id)
    assert client.get(url).status_code == 404


def test_another_teams_coordinator_gets_404_on_the_ryd_roster(client, login_as, teams,
                                                             school_year):
    login_as(Role.COORDINATOR, teams=("Berga",))
    response = client.get("/roster/", query_string={"team": teams["Ryd"].id,
                                                    "year": school_year.id})
    assert response.status_code == 404


def test_another_teams_coordinator_cannot_act_on_a_ryd_enrolment(client, login_as, polare):
    login_as(Role.COORDINATOR, teams=("Berga",))
    response = client.post(f"/roster/enrolments/{polare.enrolments[0].id}/end",
                           data={"on": "2026-11-20", "reason": "x"})
    assert response.status_code == 404


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.PAYROLL])
def test_supervisors_and_payroll_read_but_do_not_edit(client, login_as, teams, school_year,
                                                      polare, role):
    login_as(role)
    assert client.get(f"/roster/persons/{polare.id}").status_code == 200
    assert "Ändra uppgifter" not in client.get(f"/roster/persons/{polare.id}").get_data(
        as_text=True)
    assert "Ny polare" not in _roster_html(client, teams, school_year)
    assert client.get("/roster/persons/new").status_code == 403
    assert client.get(f"/roster/persons/{polare.id}/edit").status_code == 403
    assert client.post(f"/roster/enrolments/{polare.enrolments[0].id}/end",
                       data={"on": "2026-11-20", "reason": "x"}).status_code == 403


@pytest.mark.parametrize(("role", "full"), [
    (Role.ADMIN, True), (Role.PAYROLL, True), (Role.COORDINATOR, True),
    (Role.SUPERVISOR, False),
])
def test_personnummer_is_masked_for_roles_that_may_not_see_it(client, login_as, teams,
                                                              school_year, polare, role, full):
    login_as(role)
    masked = polare.personnummer[:8] + "-****"
    for html in (_roster_html(client, teams, school_year),
                 client.get(f"/roster/persons/{polare.id}").get_data(as_text=True)):
        assert (polare.personnummer in html) is full
        assert (masked in html) is not full


def test_the_history_masks_the_personnummer_for_supervisors(client, db, login_as, polare):
    from polare.roster.services import PersonInput, update_person

    update_person(db, None, polare, PersonInput(personnummer=polare.personnummer,
                                                first_name="Elsa", last_name="Eklund"),
                  today=TODAY)
    login_as(Role.SUPERVISOR)
    html = client.get(f"/roster/persons/{polare.id}").get_data(as_text=True)
    assert "Eklund" in html
    assert polare.personnummer not in html


def _urls(html: str) -> list[str]:
    return re.findall(r'(?:href|action|src)="([^"]*)"', html)


def test_personnummer_never_appears_in_a_url(client, login_as, teams, school_year, polare):
    login_as(Role.COORDINATOR)
    digits = polare.personnummer.replace("-", "")
    pages = [
        _roster_html(client, teams, school_year),
        client.get(f"/roster/persons/{polare.id}").get_data(as_text=True),
        client.get(f"/roster/persons/{polare.id}/edit").get_data(as_text=True),
        client.get(f"/roster/enrolments/{polare.enrolments[0].id}").get_data(as_text=True),
        client.post("/roster/", data={"team": teams["Ryd"].id, "year": school_year.id,
                                      "q": polare.personnummer}).get_data(as_text=True),
    ]
    assert polare.personnummer in pages[0]
    for html in pages:
        for url in _urls(html):
            assert digits[2:8] not in url.replace("-", ""), url


def test_searching_by_personnummer_is_never_redirected_to_a_url(client, login_as, teams,
                                                                school_year, polare):
    login_as(Role.COORDINATOR)
    for query in (polare.personnummer, "Elsa " + polare.personnummer[:8]):
        response = client.post("/roster/", data={"team": teams["Ryd"].id,
                                                 "year": school_year.id, "q": query})
        assert response.status_code == 200
        assert "Location" not in response.headers


def test_the_search_form_is_sent_by_post(client, login_as, teams, school_year):
    login_as(Role.COORDINATOR)
    html = _roster_html(client, teams, school_year)
    form = html[html.rindex("<form", 0, html.index('name="q"')):html.index('name="q"')]
    assert 'method="post"' in form
