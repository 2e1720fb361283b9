"""The person page sends as few statements for a long record as for a short one (issue 23)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from polare.auth.models import Role
from polare.org.models import SchoolYear
from polare.pay import services
from polare.roster.models import EnrolmentStatus
from polare.roster.services import GuardianInput, add_guardian, register_consent
from tests.pay.conftest import ABSENT, ATTENDED, set_attendance
from tests.statements import counted_statements

#: The most statements the page may send (issue 23: at most 20, with a margin).
PAGE_STATEMENTS = 18
#: A December day: November is closed, December and later are open.
DECEMBER_DAY = date(2026, 12, 10)


def _page_statements(client, person_id: int) -> list[str]:
    client.get(f"/roster/persons/{person_id}")  # the first request of a login does more
    with counted_statements() as sent:
        response = client.get(f"/roster/persons/{person_id}")
    assert response.status_code == 200
    assert "Arvoden" in response.get_data(as_text=True)
    return [statement for statement, _parameters in sent]


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_person_page_statements_do_not_grow_with_the_record(
        client, db, clock, login_as, make_user, rate_table, polare, make_enrolment, make_walk,
        role):
    """A polare with a guardian whose consent is registered, walks, stipends of a closed and
    an open month and a history; then two years, more guardians, walks and a correction."""
    clock.local(DECEMBER_DAY)
    registrar = make_user(Role.COORDINATOR, username="registrar")
    enrolment = polare.enrolments[0]
    guardian = add_guardian(db, None, polare, GuardianInput(name="Karin Ek",
                                                            phone="070-123 45 67"))
    register_consent(db, registrar, enrolment.id, guardian_id=guardian.id,
                     consent_date=date(2026, 8, 1), today=DECEMBER_DAY)
    november = make_walk(date(2026, 11, 5), [(polare, ATTENDED)])
    services.close_period(db, None, "2026-11", today=date(2026, 12, 1))
    make_walk(date(2026, 12, 2), [(polare, ATTENDED)])
    login_as(role)
    few = _page_statements(client, polare.id)

    make_enrolment(polare, "Berga", school_year=_school_year(db, "2025/26"),
                   status=EnrolmentStatus.ENDED, consent_date=date(2025, 8, 1),
                   consent_guardian_id=guardian.id,
                   consent_registered_by_id=make_user(Role.COORDINATOR, ("Berga",)).id)
    add_guardian(db, None, polare, GuardianInput(name="Per Ek", phone="070-765 43 21"))
    for day in (6, 12, 19, 26):  # approved after November closed: late entries
        make_walk(date(2026, 11, day), [(polare, ATTENDED)])
    for day in (3, 9, 16):
        make_walk(date(2026, 12, day), [(polare, ATTENDED)])
        make_walk(date(2026, 12, day), [(polare, ATTENDED)], team="Berga")
    set_attendance(db, november, polare, ABSENT)  # a correction of a frozen line
    many = _page_statements(client, polare.id)

    assert len(many) == len(few) <= PAGE_STATEMENTS, "\n".join(many)


def _school_year(db, label: str) -> SchoolYear:
    return db.scalars(select(SchoolYear).where(SchoolYear.label == label)).one()
