"""Required-training status: which required event types a polare has attended in a school year.

A polare has had a required training in a school year when they attended (invitation status
`attended`) a non-cancelled event of that type whose `school_year_id` is that year. Only event
types that are both `required` and `active` count.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, select
from sqlalchemy.orm import Session

from polare.events.models import Event, EventType, Invitation, InvitationStatus
from polare.names import localized
from polare.roster.models import Enrolment, EnrolmentStatus

_REQUIRED = and_(EventType.required.is_(True), EventType.active.is_(True))


def _attended_required(school_year_id: int) -> Any:
    """Return a SELECT of distinct (person_id, type_id) attended of required types in the year."""
    return (
        select(Invitation.person_id, Event.type_id)
        .join(Event, Event.id == Invitation.event_id)
        .join(EventType, EventType.id == Event.type_id)
        .where(
            Event.school_year_id == school_year_id,
            Event.cancelled.is_(False),
            Invitation.status == InvitationStatus.ATTENDED,
            _REQUIRED,
        )
        .distinct()
    )


def _attended_by(person_ids: Collection[int], school_year_id: int) -> Any:
    """Return a SELECT of distinct (person_id, type_id) of the persons' attended invitations.

    type_id is that of the event when it is of the school year and not cancelled, else NULL.
    The persons' invitations drive it: the events join is a LEFT JOIN with its conditions in
    ON, and the left table of a LEFT JOIN is always SQLite's outer loop. As an inner join
    SQLite, without statistics, starts from every event of the school year in the country.
    """
    return (
        select(Invitation.person_id, Event.type_id)
        .outerjoin(Event, and_(Event.id == Invitation.event_id,
                               Event.school_year_id == school_year_id,
                               Event.cancelled.is_(False)))
        .where(Invitation.person_id.in_(person_ids),
               Invitation.status == InvitationStatus.ATTENDED)
        .distinct()
    )


def missing_required_training(
    session: Session, person_ids: Collection[int], school_year_id: int
) -> dict[int, list[str]]:
    """Map each person to the names of the required event types they lack in the school year.

    One query: each required type, in display order, with the persons who attended it.
    """
    ids = set(person_ids)
    if not ids:
        return {}
    attended = _attended_by(ids, school_year_id).subquery()
    rows = session.execute(
        select(EventType.id, EventType.name, attended.c.person_id)
        .outerjoin(attended, attended.c.type_id == EventType.id)
        .where(_REQUIRED)
        .order_by(EventType.sort_order, EventType.name, EventType.id)
    )
    required: dict[int, str] = {}
    done: dict[int, set[int]] = {}
    for type_id, name, person_id in rows:
        required[type_id] = name
        if person_id is not None:
            done.setdefault(person_id, set()).add(type_id)
    return {
        person_id: [name for type_id, name in required.items()
                    if type_id not in done.get(person_id, set())]
        for person_id in ids
    }


def lacks_required_training(
    person_id_column: ColumnElement[int], school_year_id: int
) -> ColumnElement[bool]:
    """Return a WHERE clause true for persons lacking any required training in the school year.

    For list filters in SQL, e.g. `select(Person).where(lacks_required_training(Person.id, sy))`.
    """
    attended = _attended_required(school_year_id).subquery()
    required_count = select(func.count(EventType.id)).where(_REQUIRED).scalar_subquery()
    complete = (
        select(attended.c.person_id)
        .group_by(attended.c.person_id)
        .having(func.count(attended.c.type_id) == required_count)
    )
    return and_(exists().where(_REQUIRED), person_id_column.not_in(complete))


def required_training_summary(
    session: Session, team_id: int, school_year_id: int
) -> list[tuple[str, int, int]]:
    """Return (type name in the reader's language, active polare who have it, active polare)
    per required type."""
    active_ids = select(Enrolment.person_id).where(
        Enrolment.team_id == team_id,
        Enrolment.school_year_id == school_year_id,
        Enrolment.status == EnrolmentStatus.ACTIVE,
    )
    total = session.scalar(select(func.count()).select_from(active_ids.subquery())) or 0
    attended = (
        _attended_required(school_year_id).where(Invitation.person_id.in_(active_ids)).subquery()
    )
    rows = session.execute(
        select(EventType.name, EventType.name_en, func.count(attended.c.person_id))
        .outerjoin(attended, attended.c.type_id == EventType.id)
        .where(_REQUIRED)
        .group_by(EventType.id, EventType.name, EventType.name_en, EventType.sort_order)
        .order_by(EventType.sort_order, EventType.name)
    )
    return [(localized(name, name_en), count, total) for name, name_en, count in rows]
