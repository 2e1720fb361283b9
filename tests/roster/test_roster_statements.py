"""The roster page sends a fixed, small number of statements, however many polare it lists."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlalchemy import select

from polare.auth.models import Role
from polare.events.models import Event, EventType, Invitation, InvitationStatus
from polare.org.models import TeamYear
from polare.recruitment.models import Application, ConsentRequest, ConsentRequestStatus
from polare.roster.models import EnrolmentStatus
from tests.conftest import TODAY
from tests.roster.conftest import MINOR_BIRTH
from tests.statements import MOST_PER_PAGE, page_statements


@pytest.fixture(autouse=True)
def _today(clock):
    clock.local(TODAY)


@pytest.fixture
def grow_ryd(db, teams, school_year, fill_team, make_person, make_enrolment, make_guardian):
    """Add to Ryd's roster: active polare, a third of them trained, a minor without consent
    whose guardian withdrew it by link, an unread application, one on the waiting list."""
    leadership = db.scalars(select(EventType).where(EventType.required.is_(True))).first()
    training = Event(type_id=leadership.id, title="Ledarskap", event_date=date(2026, 9, 20),
                     start_time=time(10), team_id=teams["Ryd"].id, school_year_id=school_year.id)
    db.add(training)
    db.add(TeamYear(team_id=teams["Ryd"].id, school_year_id=school_year.id, cap=40))
    db.flush()

    def grow(n: int) -> None:
        for number, enrolment in enumerate(fill_team("Ryd", n)):
            if number % 3 == 0:
                db.add(Invitation(event_id=training.id, person_id=enrolment.person_id,
                                  status=InvitationStatus.ATTENDED))
        minor = make_person(first_name="Mina", birth_date=MINOR_BIRTH)
        withdrawn = make_enrolment(minor, "Ryd", status=EnrolmentStatus.APPLICANT)
        db.add(ConsentRequest(enrolment_id=withdrawn.id, guardian_id=make_guardian(minor).id,
                              token_hash=f"{withdrawn.id:064d}",
                              status=ConsentRequestStatus.WITHDRAWN,
                              expires_at=datetime(2026, 12, 1)))
        applied = make_enrolment(make_person(first_name="Ansökt"), "Ryd",
                                 status=EnrolmentStatus.APPLICANT)
        db.add(Application(enrolment_id=applied.id, privacy_notice_version="1"))
        make_enrolment(make_person(first_name="Väntar"), "Ryd",
                       status=EnrolmentStatus.WAITLISTED, waitlisted_at=datetime(2026, 9, 1))
        db.flush()

    return grow


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_roster_sends_as_few_statements_for_thirty_polare_as_for_three(
        client, login_as, grow_ryd, teams, school_year, role):
    login_as(role, teams=("Ryd",))
    url = f"/roster/?team={teams['Ryd'].id}&year={school_year.id}"
    grow_ryd(3)
    few = page_statements(client, url)
    grow_ryd(27)
    many = page_statements(client, url)
    assert len(many) == len(few)
    assert len(many) <= MOST_PER_PAGE


def test_default_roster_sends_few_statements(client, login_as, grow_ryd):
    login_as(Role.COORDINATOR, teams=("Ryd",))
    grow_ryd(30)
    assert len(page_statements(client, "/roster/")) <= MOST_PER_PAGE
