"""Enrolment actions through the web: refusals shown with the input kept, the cap offer."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import object_session

from polare.auth.models import Role
from polare.roster.models import Enrolment, EnrolmentStatus
from tests.conftest import TODAY
from tests.roster.conftest import MINOR_BIRTH


@pytest.fixture(autouse=True)
def _today(clock):
    clock.local(TODAY)


def _activate(client, enrolment, on="2026-11-20"):
    """Post an activation (the test's data is committed first: a refusal rolls back)."""
    object_session(enrolment).commit()
    return client.post(f"/roster/enrolments/{enrolment.id}/activate", data={"on": on})


def test_consent_refusal_is_shown_and_the_date_kept(client, login_as, applicant):
    login_as(Role.COORDINATOR)
    enrolment = applicant(birth_date=MINOR_BIRTH)
    response = _activate(client, enrolment)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Samtycke från vårdnadshavare saknas" in html
    assert 'value="2026-11-20"' in html


def test_eligibility_refusal_is_shown_and_the_date_kept(client, login_as, applicant):
    login_as(Role.COORDINATOR)
    enrolment = applicant(birth_date=date(2012, 1, 5))
    response = _activate(client, enrolment, on="2026-11-19")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Åldern 14 är under 15" in html
    assert 'value="2026-11-19"' in html


def test_cap_refusal_names_the_team_and_offers_the_waiting_list(client, login_as, fill_team,
                                                                applicant):
    login_as(Role.COORDINATOR)
    fill_team("Ryd", 20)
    enrolment = applicant()
    response = _activate(client, enrolment)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Ryd har redan 20 aktiva polare 2026/27" in html
    assert f'action="/roster/enrolments/{enrolment.id}/waitlist"' in html
    assert "Sätt på väntelistan i stället" in html


def test_registering_consent_then_activating_works(client, login_as, applicant,
                                                   make_guardian):
    login_as(Role.COORDINATOR)
    enrolment = applicant(birth_date=MINOR_BIRTH)
    guardian = make_guardian(enrolment.person)
    response = client.post(f"/roster/enrolments/{enrolment.id}/consent",
                           data={"guardian_id": guardian.id, "consent_date": "2026-11-10"})
    assert response.status_code == 302
    assert _activate(client, enrolment).status_code == 302
    assert enrolment.status == EnrolmentStatus.ACTIVE


def test_a_future_consent_date_is_refused_and_kept(client, db, login_as, applicant,
                                                   make_guardian):
    login_as(Role.COORDINATOR)
    enrolment = applicant(birth_date=MINOR_BIRTH)
    guardian = make_guardian(enrolment.person)
    db.commit()
    response = client.post(f"/roster/enrolments/{enrolment.id}/consent",
                           data={"guardian_id": guardian.id, "consent_date": "2026-12-24"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "framtiden" in html
    assert 'value="2026-12-24"' in html


def test_ending_without_a_reason_is_refused_and_the_date_kept(client, db, login_as, polare):
    login_as(Role.COORDINATOR)
    db.commit()
    response = client.post(f"/roster/enrolments/{polare.enrolments[0].id}/end",
                           data={"on": "2026-11-21", "reason": ""})
    assert response.status_code == 422
    assert 'value="2026-11-21"' in response.get_data(as_text=True)


def test_coordinator_fills_ryd_then_waitlists_ends_and_activates(
    client, db, login_as, teams, school_year, fill_team, make_guardian
):
    """The issue's 'done when': 20 active, the 21st waitlisted, one ends, the 21st in."""
    login_as(Role.COORDINATOR)
    active = fill_team("Ryd", 19)
    ids = []
    for number, (first, birth) in enumerate((("Tjugo", MINOR_BIRTH),
                                             ("Tjugoett", date(2007, 4, 4)))):
        response = client.post("/roster/persons/new", data={
            "personnummer": f"{birth:%Y%m%d}-{900 + number}{_check(birth, 900 + number)}",
            "first_name": first, "last_name": "Nyström", "prior_years": "0",
            "team_id": teams["Ryd"].id, "school_year_id": school_year.id,
            "guardian_name": "Lena Nyström", "guardian_phone": "070-999 88 77"})
        assert response.status_code == 302
        person_id = int(response.headers["Location"].rsplit("/", 1)[1])
        ids.append(db.scalars(select(Enrolment.id).where(Enrolment.person_id == person_id))
                   .one())
    twentieth, twenty_first = (db.get(Enrolment, i) for i in ids)
    guardian = twentieth.person.guardians[0]
    client.post(f"/roster/enrolments/{twentieth.id}/consent",
                data={"guardian_id": guardian.id, "consent_date": "2026-11-01"})
    assert _activate(client, twentieth).status_code == 302
    refused = _activate(client, twenty_first)
    assert "Ryd har redan 20 aktiva polare 2026/27" in refused.get_data(as_text=True)
    assert client.post(f"/roster/enrolments/{twenty_first.id}/waitlist").status_code == 302
    roster = client.get("/roster/", query_string={"team": teams["Ryd"].id,
                                                  "year": school_year.id})
    assert "20 / 20 aktiva" in roster.get_data(as_text=True)
    client.post(f"/roster/enrolments/{active[0].id}/end",
                data={"on": "2026-11-22", "reason": "Flyttat"})
    assert _activate(client, twenty_first, on="2026-11-23").status_code == 302
    assert db.scalar(select(func.count(Enrolment.id)).where(
        Enrolment.team_id == teams["Ryd"].id, Enrolment.school_year_id == school_year.id,
        Enrolment.status == EnrolmentStatus.ACTIVE)) == 20


def _check(birth: date, serial: int) -> str:
    from stdnum import luhn

    return luhn.calc_check_digit(f"{birth:%y%m%d}{serial:03d}")
