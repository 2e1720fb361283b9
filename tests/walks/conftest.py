"""Fixtures of the walks tests: a Ryd supervisor, districts by name, a walk factory."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Any

import pytest
from sqlalchemy import select

from polare.audit.services import record
from polare.auth.models import Role, User
from polare.events.models import Event, EventType, Invitation, InvitationStatus
from polare.org.models import District
from polare.walks.models import Walk
from polare.walks.planning import WalkPlan, plan_walk

#: A Friday in the autumn term of the test school year (TODAY is Wednesday 2026-11-25).
FRIDAY = date(2026, 11, 27)
#: The Friday before TODAY: a walk that has happened.
LAST_FRIDAY = date(2026, 11, 20)


@pytest.fixture
def districts(db) -> dict[str, District]:
    """The seeded districts by name."""
    return {d.name: d for d in db.scalars(select(District))}


@pytest.fixture
def supervisor(make_user) -> User:
    """A supervisor of Ryd, responsible staff on the walks of the tests."""
    return make_user(Role.SUPERVISOR, teams=("Ryd",), full_name="Hanna Handledare")


@pytest.fixture
def make_walk(db, teams, districts, supervisor) -> Callable[..., Walk]:
    """Plan a walk through the service: make_walk(persons=[...], walk_date=..., team="Ryd")."""

    def build(persons: list[Any] = (), *, team: str = "Ryd", actor: User | None = None,
              **overrides: Any) -> Walk:
        plan = WalkPlan(
            team_id=teams[team].id,
            walk_date=overrides.pop("walk_date", FRIDAY),
            start_time=overrides.pop("start_time", time(19, 0)),
            end_time=overrides.pop("end_time", time(21, 30)),
            district_id=districts[overrides.pop("district", team)].id,
            meeting_point=overrides.pop("meeting_point", "Rydsvägen, vid kiosken"),
            staff_ids=overrides.pop("staff_ids", [supervisor.id]),
            person_ids=[p.id for p in persons],
        )
        assert not overrides, overrides
        return plan_walk(db, actor, plan)

    return build


@pytest.fixture
def adult(make_person, make_enrolment):
    """A 19-year-old polare active in Ryd 2026/27."""
    person = make_person(first_name="Omar", last_name="Berg", birth_date=date(2007, 5, 2))
    make_enrolment(person, "Ryd")
    return person


@pytest.fixture
def train(db, teams, school_year) -> Callable[..., None]:
    """Record that the persons attended a required training (Ledarskapsutbildning) in 2026/27."""

    def attend(*persons: Any) -> None:
        required = db.scalars(select(EventType).where(EventType.required.is_(True))).all()
        for event_type in required:
            event = Event(type_id=event_type.id, title=event_type.name,
                          event_date=date(2026, 9, 5), start_time=time(10, 0),
                          team_id=teams["Ryd"].id, school_year_id=school_year.id)
            db.add(event)
            db.flush()
            db.add_all(Invitation(event_id=event.id, person_id=person.id,
                                  status=InvitationStatus.ATTENDED) for person in persons)
            record(db, None, "create", "event", event.id, note="test fixture")
        db.flush()

    return attend
