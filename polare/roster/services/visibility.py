"""Which persons an actor may see and choose (SPEC §11): one rule for forms, CLI and importers.

A person is within an actor's scope when they have (or had) an enrolment in one of the actor's
teams; admin, payroll and the system (actor None) see everyone. A person outside the scope is
answered exactly as one that does not exist: "Okänd polare", never a name.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from polare.auth.access import team_ids_for
from polare.errors import NotFoundError
from polare.roster.models import Enrolment, Person


class UnknownPersonError(NotFoundError):
    """The person does not exist or is outside the actor's teams: the same answer for both."""

    def __init__(self, field: str | None = None) -> None:
        super().__init__("roster.unknown_person", field=field)


def scope_team_ids(actor: Any) -> set[int] | None:
    """Return the ids of the actor's teams, or None when the actor sees every team."""
    return None if actor is None else team_ids_for(actor)


def visible_persons_clause(actor: Any) -> ColumnElement[bool]:
    """Return a WHERE clause on Person for the persons the actor may see."""
    scope = scope_team_ids(actor)
    if scope is None:
        return true()
    return Person.id.in_(select(Enrolment.person_id).where(Enrolment.team_id.in_(scope)))


def visible_person_ids(session: Session, actor: Any, person_ids: Collection[int]) -> set[int]:
    """Return those of the ids that name a person the actor may see."""
    if not person_ids:
        return set()
    return set(session.scalars(select(Person.id).where(
        Person.id.in_(set(person_ids)), visible_persons_clause(actor))))


def check_visible(
    session: Session, actor: Any, person_ids: Collection[int], *, field: str | None = None
) -> None:
    """Refuse ids of persons that do not exist or that the actor may not see."""
    if set(person_ids) - visible_person_ids(session, actor, person_ids):
        raise UnknownPersonError(field=field)


def visible_person_by_personnummer(session: Session, actor: Any, canonical: str) -> Person | None:
    """Return the person with the canonical number if the actor may see them, else None."""
    return session.scalar(select(Person).where(Person.personnummer == canonical,
                                               visible_persons_clause(actor)))


def is_visible(session: Session, actor: Any, person: Person) -> bool:
    """Tell whether the actor may see the person."""
    return person.id in visible_person_ids(session, actor, [person.id])
