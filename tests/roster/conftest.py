"""Roster fixtures: guardians with consent, a team filled to a number of active polare."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from polare.roster.models import Enrolment, EnrolmentStatus, Guardian, Person
from polare.roster.services import GuardianInput, add_guardian
from tests.conftest import TODAY

#: Born so that they are 19 all through 2026/27: no consent needed, always eligible.
ADULT_BIRTH = date(2007, 1, 10)
#: Born 2010-09-01: 16 in autumn 2026, needs guardian consent.
MINOR_BIRTH = date(2010, 9, 1)


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def make_guardian(db) -> Callable[..., Guardian]:
    """Add a guardian (with a phone) to a person through the service."""

    def build(person: Person, name: str = "Karin Ek", phone: str = "070-123 45 67") -> Guardian:
        return add_guardian(db, None, person, GuardianInput(name=name, phone=phone,
                                                            relation="mamma"))

    return build


@pytest.fixture
def fill_team(make_person, make_enrolment) -> Callable[..., list[Enrolment]]:
    """Give a team `n` active adult polare in 2026/27 (or the year given)."""

    def fill(team: str, n: int, **overrides) -> list[Enrolment]:
        return [
            make_enrolment(make_person(birth_date=ADULT_BIRTH, last_name=f"Fyll{i:02d}"), team,
                           **overrides)
            for i in range(n)
        ]

    return fill


@pytest.fixture
def applicant(make_person, make_enrolment) -> Callable[..., Enrolment]:
    """An applicant enrolment in Ryd 2026/27 of a new person (adult unless told)."""

    def build(team: str = "Ryd", birth_date: date = ADULT_BIRTH, **overrides) -> Enrolment:
        person = make_person(birth_date=birth_date, **overrides)
        return make_enrolment(person, team, status=EnrolmentStatus.APPLICANT)

    return build
