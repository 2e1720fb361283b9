"""Fixtures of the events tests: event types by name and an event factory."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Any

import pytest
from sqlalchemy import select

from polare.audit.services import record
from polare.events.models import Event, EventType, Invitation, InvitationStatus
from polare.roster.models import Person


@pytest.fixture
def event_types(db) -> dict[str, EventType]:
    """The seeded event types by name."""
    return {t.name: t for t in db.scalars(select(EventType))}


@pytest.fixture
def make_event(db, teams, school_year, event_types) -> Callable[..., Event]:
    """Build an event: make_event("Ledarskapsutbildning", team="Ryd", event_date=...)."""

    def build(type_name: str = "Ledarskapsutbildning", team: str | None = "Ryd",
              **overrides: Any) -> Event:
        event = Event(
            type_id=event_types[type_name].id,
            title=overrides.pop("title", type_name),
            event_date=overrides.pop("event_date", date(2026, 10, 10)),
            start_time=overrides.pop("start_time", time(10, 0)),
            end_time=overrides.pop("end_time", time(15, 0)),
            team_id=teams[team].id if team else None,
            school_year_id=overrides.pop("school_year", school_year).id,
            **overrides,
        )
        db.add(event)
        db.flush()
        record(db, None, "create", "event", event.id, note="test fixture")
        return event

    return build


@pytest.fixture
def invite() -> Callable[..., Invitation]:
    """Add an invitation of a person to an event with a status."""

    def build(db: Any, event: Event, person: Person,
              status: InvitationStatus = InvitationStatus.INVITED) -> Invitation:
        invitation = Invitation(event_id=event.id, person_id=person.id, status=status)
        db.add(invitation)
        db.flush()
        record(db, None, "create", "invitation", invitation.id, note="test fixture")
        return invitation

    return build
