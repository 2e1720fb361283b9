"""The roster page: count against the cap, waiting list, filters, search, pages, order."""

from __future__ import annotations

import re
from datetime import date, datetime, time

import pytest
from sqlalchemy import select

from polare.auth.models import Role
from polare.events.models import Event, EventType, Invitation, InvitationStatus
from polare.roster.models import EnrolmentStatus
from tests.conftest import TODAY
from tests.roster.conftest import MINOR_BIRTH


@pytest.fixture(autouse=True)
def _today(clock):
    clock.local(TODAY)


def _roster(client, teams, school_year, team="Ryd", **params):
    params = {"team": teams[team].id, "year": school_year.id, **params}
    return client.get("/roster/", query_string=params)


def _names_in_order(html: str) -> list[str]:
    return re.findall(r'href="/roster/persons/\d+">([^<]+)</a>\s*<div', html)


def test_roster_shows_active_count_against_the_cap(client, login_as, teams, school_year,
                                                   polare, fill_team):
    login_as(Role.COORDINATOR)
    fill_team("Ryd", 16)
    assert "17 / 20 aktiva" in _roster(client, teams, school_year).get_data(as_text=True)


def test_roster_defaults_to_the_users_first_team_and_todays_school_year(client, login_as):
    login_as(Role.COORDINATOR, teams=("Ryd", "Berga"))
    assert "<h1 class=\"me-auto mb-0\">Berga 2026/27</h1>" in client.get(
        "/roster/").get_data(as_text=True)


def test_waiting_list_is_shown_in_order(client, login_as, teams, school_year, make_person,
                                        make_enrolment):
    login_as(Role.COORDINATOR)
    for name, minute in (("Cecilia", 3), ("Anna", 5), ("Bo", 1)):
        make_enrolment(make_person(first_name=name), status=EnrolmentStatus.WAITLISTED,
                       waitlisted_at=datetime.combine(TODAY, time(10, minute)))
    html = _roster(client, teams, school_year).get_data(as_text=True)
    waiting = html[html.index("Väntelista</h2>"):html.index("</ol>")]
    assert [waiting.index(n) for n in ("Bo", "Cecilia", "Anna")] == sorted(
        waiting.index(n) for n in ("Bo", "Cecilia", "Anna"))


def test_roster_is_in_swedish_order_with_age_and_years(client, login_as, teams, school_year,
                                                       make_person, make_enrolment):
    login_as(Role.COORDINATOR)
    for last in ("Öberg", "Zetterlund", "Åkesson", "Ek"):
        make_enrolment(make_person(last_name=last, first_name="Test",
                                   birth_date=date(2009, 3, 14)))
    html = _roster(client, teams, school_year).get_data(as_text=True)
    assert _names_in_order(html) == ["Ek, Test", "Zetterlund, Test", "Åkesson, Test",
                                     "Öberg, Test"]
    assert '<td class="text-end">17</td>\n    <td class="text-end">1</td>' in html


def test_roster_pages_continue_the_order(client, login_as, teams, school_year, fill_team):
    login_as(Role.COORDINATOR)
    fill_team("Ryd", 30)
    first = _names_in_order(_roster(client, teams, school_year).get_data(as_text=True))
    second = _names_in_order(_roster(client, teams, school_year, page=2).get_data(as_text=True))
    assert (len(first), len(second)) == (25, 5)
    assert first + second == [f"Fyll{i:02d}, Polare{i + 1}" for i in range(30)]


def test_status_filter(client, login_as, teams, school_year, polare, make_person,
                       make_enrolment):
    login_as(Role.COORDINATOR)
    make_enrolment(make_person(first_name="Sökare"), status=EnrolmentStatus.APPLICANT)
    html = _roster(client, teams, school_year, status="applicant").get_data(as_text=True)
    assert "Sökare" in html
    assert "Ek, Elsa" not in html


def test_consent_missing_filter_shows_minors_without_consent(client, login_as, teams,
                                                            school_year, make_person,
                                                            make_enrolment):
    login_as(Role.COORDINATOR)
    make_enrolment(make_person(first_name="Saknar", birth_date=MINOR_BIRTH),
                   status=EnrolmentStatus.APPLICANT)
    make_enrolment(make_person(first_name="Vuxen", birth_date=date(2007, 1, 1)),
                   status=EnrolmentStatus.APPLICANT)
    make_enrolment(make_person(first_name="Harsamtycke", birth_date=MINOR_BIRTH),
                   status=EnrolmentStatus.APPLICANT, consent_date=date(2026, 9, 1))
    html = _roster(client, teams, school_year, consent="y").get_data(as_text=True)
    assert "Saknar" in html
    assert "Vuxen" not in html
    assert "Harsamtycke" not in html


def test_training_missing_filter(client, db, login_as, teams, school_year, make_person,
                                 make_enrolment):
    login_as(Role.COORDINATOR)
    trained = make_person(first_name="Utbildad")
    make_enrolment(trained)
    make_enrolment(make_person(first_name="Otränad"))
    required = db.scalars(select(EventType).where(EventType.required.is_(True))).first()
    event = Event(type_id=required.id, title="Ledarskap", event_date=date(2026, 9, 5),
                  start_time=time(17, 0), team_id=teams["Ryd"].id, school_year_id=school_year.id)
    db.add(event)
    db.flush()
    db.add(Invitation(event_id=event.id, person_id=trained.id, status=InvitationStatus.ATTENDED))
    db.flush()
    html = _roster(client, teams, school_year, training="y").get_data(as_text=True)
    assert "Otränad" in html
    assert "Utbildad" not in html
    assert "Utbildning saknas: " + required.name in html


def test_name_search_is_redirected_to_a_pageable_address(client, login_as, teams,
                                                         school_year, make_person,
                                                         make_enrolment):
    login_as(Role.COORDINATOR)
    make_enrolment(make_person(last_name="Öberg", first_name="Elsa"))
    make_enrolment(make_person(last_name="Holm", first_name="Bo"))
    response = client.post("/roster/", data={"team": teams["Ryd"].id, "year": school_year.id,
                                             "q": "öberg"})
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Öberg, Elsa" in html
    assert "Holm, Bo" not in html


@pytest.mark.parametrize("typed", ["full", "short", "birth date"])
def test_personnummer_search_answers_the_post_without_a_url(client, login_as, teams,
                                                            school_year, polare, typed):
    login_as(Role.COORDINATOR)
    number = polare.personnummer
    query = {"full": number, "short": number[2:].replace("-", ""),
             "birth date": number[:8]}[typed]
    response = client.post("/roster/", data={"team": teams["Ryd"].id, "year": school_year.id,
                                             "q": query})
    assert response.status_code == 200
    assert "Ek, Elsa" in response.get_data(as_text=True)


def test_supervisor_cannot_search_by_personnummer(client, login_as, teams, school_year,
                                                  polare):
    login_as(Role.SUPERVISOR)
    data = {"team": teams["Ryd"].id, "year": school_year.id}
    for query in (polare.personnummer[:8], polare.personnummer):
        response = client.post("/roster/", data={**data, "q": query})
        assert response.status_code == 422
        assert "kan inte söka på dem" in response.get_data(as_text=True)


def test_cap_can_be_changed_by_admin_only(client, login_as, teams, school_year):
    login_as(Role.ADMIN)
    query = {"team": teams["Ryd"].id, "year": school_year.id}
    response = client.post("/roster/cap", query_string=query, data={"cap": 18})
    assert response.status_code == 302
    assert "0 / 18 aktiva" in _roster(client, teams, school_year).get_data(as_text=True)


def test_coordinators_cannot_change_the_cap(client, login_as, teams, school_year):
    login_as(Role.COORDINATOR)
    response = client.post("/roster/cap", query_string={"team": teams["Ryd"].id,
                                                        "year": school_year.id},
                           data={"cap": 30})
    assert response.status_code == 403
