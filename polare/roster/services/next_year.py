"""Carrying a team's polare over to the next school year as applicants."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from polare.errors import DomainError
from polare.org.models import SchoolYear
from polare.roster.models import Enrolment, EnrolmentStatus, Person
from polare.roster.services.enrolments import create_enrolment


@dataclass(frozen=True)
class Candidate:
    """A polare active last year, and whether they already have a place next year."""

    person: Person
    already_enrolled: bool


def next_school_year(session: Session, year: SchoolYear) -> SchoolYear | None:
    """Return the school year that starts next after this one, if any."""
    return session.scalars(
        select(SchoolYear).where(SchoolYear.starts_on > year.starts_on)
        .order_by(SchoolYear.starts_on).limit(1)
    ).first()


def continuation_candidates(
    session: Session, team_id: int, from_year_id: int, to_year_id: int
) -> list[Candidate]:
    """List the team's polare active in the year to its end, in Swedish name order.

    Once the year is over its active enrolments are closed on its last day (year_end); those
    polare were active to the end and are still candidates.
    """
    active_to_the_end = or_(
        Enrolment.status == EnrolmentStatus.ACTIVE,
        (Enrolment.status == EnrolmentStatus.ENDED) & (Enrolment.ended_on >= SchoolYear.ends_on),
    )
    persons = session.scalars(
        select(Person)
        .join(Enrolment, Enrolment.person_id == Person.id)
        .join(SchoolYear, SchoolYear.id == Enrolment.school_year_id)
        .where(Enrolment.team_id == team_id, Enrolment.school_year_id == from_year_id,
               active_to_the_end)
        .order_by(Person.sort_key, Person.id)
    ).all()
    enrolled = set(session.scalars(
        select(Enrolment.person_id).where(Enrolment.team_id == team_id,
                                          Enrolment.school_year_id == to_year_id)
    ))
    return [Candidate(person, person.id in enrolled) for person in persons]


def continue_to_next_year(
    session: Session, actor: object, team_id: int, from_year_id: int, to_year_id: int,
    person_ids: Collection[int], *, on: date,
) -> list[Enrolment]:
    """Enrol the chosen polare of last year as applicants of the team in the next year."""
    from_year = session.get(SchoolYear, from_year_id)
    to_year = session.get(SchoolYear, to_year_id)
    if from_year is None or to_year is None or to_year.starts_on <= from_year.starts_on:
        raise DomainError("roster.later_year_needed", field="to_year_id")
    if not person_ids:
        raise DomainError("roster.no_polare_chosen", field="person_ids")
    candidates = continuation_candidates(session, team_id, from_year_id, to_year_id)
    unknown = set(person_ids) - {c.person.id for c in candidates}
    if unknown:
        raise DomainError("roster.not_active_last_year", field="person_ids",
                          year=from_year.label)
    chosen = [c for c in candidates if c.person.id in set(person_ids)]
    for candidate in chosen:
        if candidate.already_enrolled:
            raise DomainError("roster.enrolled_next_year", field="person_ids",
                              name=candidate.person.full_name, year=to_year.label)
    return [create_enrolment(session, actor, c.person, team_id, to_year_id, on=on)
            for c in chosen]
