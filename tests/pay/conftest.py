"""Factories of the payroll web tests: rate tables, walks with participants, payroll users."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from payroll import RateBand
from polare.audit.services import record
from polare.auth.models import Role, User
from polare.org.models import District, SchoolYear
from polare.org.services import get_settings
from polare.pay import services
from polare.pay.demo import example_bands
from polare.pay.models import RateVersion
from polare.roster.models import Person
from polare.walks.models import Participation, ParticipationStatus, Walk, WalkStatus

#: The example table's bands: 15–17 år 200/230/260, 18+ år 250/280/310 by 1, 2, 3+ years.
EXAMPLE_BANDS = example_bands(15)
ATTENDED = ParticipationStatus.ATTENDED
ABSENT = ParticipationStatus.ABSENT


def decide(session: Any, version: RateVersion) -> RateVersion:
    """Record a decision for the version, so months using it can be closed."""
    return services.decide_rate_version(session, None, version.id, reference="KS 2024/117",
                                        decided_on=version.effective_from)


@pytest.fixture
def undecided_rate_table(db) -> RateVersion:
    """The example rate table, in force from 2024-08-01, without a decision."""
    return services.save_rate_version(db, None, None, effective_from=date(2024, 8, 1),
                                      label="Exempelvärden", bands=EXAMPLE_BANDS)


@pytest.fixture
def rate_table(db, undecided_rate_table) -> RateVersion:
    """The example amounts from 2024-08-01, with a decision recorded."""
    return decide(db, undecided_rate_table)


@pytest.fixture
def add_version(db) -> Callable[..., RateVersion]:
    """Save another version: add_version(date(2026, 11, 1), amount_shift=Decimal(10))."""

    def build(effective_from: date, amount_shift: Decimal = Decimal(0),
              bands: Sequence[RateBand] = EXAMPLE_BANDS) -> RateVersion:
        shifted = [RateBand(b.age_from, b.age_to, b.years_from, b.years_to,
                            b.amount + amount_shift) for b in bands]
        return decide(db, services.save_rate_version(
            db, None, None, effective_from=effective_from, label="", bands=shifted))

    return build


def build_walk(session: Any, team_id: int, day: date, *, status: WalkStatus,
               participants: Sequence[tuple[Person, ParticipationStatus]],
               start: time = time(18, 0), end: time = time(22, 0)) -> Walk:
    """Add a walk in the team's home district with its participants, audited."""
    district = session.scalars(
        select(District).where(District.team_id == team_id, District.is_home.is_(True))
    ).one()
    starts_at = datetime.combine(day, start)
    ends_at = datetime.combine(day + timedelta(days=int(end <= start)), end)
    walk = Walk(team_id=team_id, district_id=district.id, walk_date=day, start_time=start,
                end_time=end, starts_at=starts_at, ends_at=ends_at, status=status,
                meeting_point="Centrum")
    walk.participations = [Participation(person_id=person.id, status=attendance)
                           for person, attendance in participants]
    session.add(walk)
    session.flush()
    record(session, None, "create", "walk", walk.id, note="test fixture")
    return walk


@pytest.fixture
def make_walk(db, teams) -> Callable[..., Walk]:
    """Build a walk: make_walk(date(2026, 11, 5), [(polare, ATTENDED)], status=..., team=...)."""

    def build(day: date, participants: Sequence[tuple[Person, ParticipationStatus]] = (),
              *, status: WalkStatus = WalkStatus.APPROVED, team: str = "Ryd",
              **times: time) -> Walk:
        return build_walk(db, teams[team].id, day, status=status, participants=participants,
                          **times)

    return build


@pytest.fixture
def second_year_polare(polare, make_enrolment, db) -> Person:
    """Elsa Ek, 17 in November 2026, active in Ryd 2025/26 and 2026/27: her second year."""
    last_year = db.scalars(select(SchoolYear).where(SchoolYear.label == "2025/26")).one()
    make_enrolment(polare, "Ryd", school_year=last_year)
    return polare


@pytest.fixture
def payroll_user(make_user) -> User:
    """A payroll officer."""
    return make_user(Role.PAYROLL, full_name="Lena Lön")


def set_attendance(session: Any, walk: Walk, person: Person,
                   status: ParticipationStatus) -> None:
    """Change a participant's attendance, audited (as the walks pages would)."""
    participation = next(p for p in walk.participations if p.person_id == person.id)
    participation.status = status
    session.flush()
    record(session, None, "update", "participation", participation.id, note="test")


def set_walk_status(session: Any, walk: Walk, status: WalkStatus) -> None:
    """Change a walk's status, audited."""
    walk.status = status
    session.flush()
    record(session, None, "update", "walk", walk.id, note="test")


@pytest.fixture
def first_pay_period(db) -> Callable[[str], None]:
    """Set the admin setting Första löneperiod: first_pay_period("2026-11")."""

    def set_first(month: str) -> None:
        get_settings(db).first_pay_period = month
        db.flush()

    return set_first


@pytest.fixture
def attestant(make_user) -> User:
    """A payroll officer with attesträtt."""
    return make_user(Role.PAYROLL, full_name="Ali Attest", can_attest=True)
