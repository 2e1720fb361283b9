"""The roster list of a team and school year: filters, search and Swedish name order in SQL."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session, contains_eager, joinedload

from polare.events.training import lacks_required_training
from polare.roster.identity import InvalidPersonnummer, parse_personnummer
from polare.roster.models import Enrolment, EnrolmentStatus, Person
from polare.roster.services.queries import ADULT_AGE, latest_birth_date_for_age

#: Statuses of an enrolment that is still going somewhere (consent and training matter).
OPEN_STATUSES = (EnrolmentStatus.APPLICANT, EnrolmentStatus.WAITLISTED, EnrolmentStatus.ACTIVE)
#: Fewest digits that make a search a personnummer search.
MIN_PNR_DIGITS = 4


@dataclass(frozen=True)
class RosterFilters:
    status: EnrolmentStatus | None = None
    consent_missing: bool = False
    training_missing: bool = False
    #: Words that must each appear in the first or last name.
    name: str = ""
    #: A personnummer search as typed (only ever sent by POST, never in a URL).
    personnummer: str = ""


def looks_like_personnummer(query: str) -> bool:
    """Tell whether a search is a (part of a) personnummer rather than a name."""
    digits = re.sub(r"\D", "", query)
    return len(digits) >= MIN_PNR_DIGITS and not re.search(r"[^\d\s+-]", query)


def consent_missing_clause(day: date) -> ColumnElement[bool]:
    """Return a WHERE clause for open enrolments of polare under 18 without consent."""
    return and_(
        Enrolment.status.in_(OPEN_STATUSES),
        Enrolment.consent_date.is_(None),
        Person.birth_date > latest_birth_date_for_age(ADULT_AGE, day),
    )


def _name_clause(words: str) -> ColumnElement[bool]:
    clauses = []
    for word in words.split():
        variants = {word, word.lower(), word.capitalize()}
        clauses.append(or_(*(column.icontains(variant, autoescape=True) for variant in variants
                             for column in (Person.first_name, Person.last_name))))
    return and_(*clauses)


def _personnummer_clause(query: str, today: date) -> ColumnElement[bool]:
    try:
        canonical = parse_personnummer(query, today).canonical
    except InvalidPersonnummer:
        canonical = None
    if canonical is not None:
        return Person.personnummer == canonical
    digits = re.sub(r"\D", "", query)
    return func.replace(Person.personnummer, "-", "").contains(digits, autoescape=True)


def roster_query(
    team_id: int, school_year_id: int, filters: RosterFilters, day: date, *, today: date
) -> Select:
    """Return the enrolments of the team-year matching the filters, in Swedish name order."""
    query = (
        select(Enrolment)
        .join(Enrolment.person)
        .where(Enrolment.team_id == team_id, Enrolment.school_year_id == school_year_id)
        .options(contains_eager(Enrolment.person), joinedload(Enrolment.consent_guardian))
        .order_by(Person.sort_key, Person.id)
    )
    if filters.status is not None:
        query = query.where(Enrolment.status == filters.status)
    if filters.consent_missing:
        query = query.where(consent_missing_clause(day))
    if filters.training_missing:
        query = query.where(Enrolment.status.in_(OPEN_STATUSES),
                            lacks_required_training(Person.id, school_year_id))
    if filters.name:
        query = query.where(_name_clause(filters.name))
    if filters.personnummer:
        query = query.where(_personnummer_clause(filters.personnummer, today))
    return query


def status_counts(session: Session, team_id: int, school_year_id: int) -> dict[str, int]:
    """Count the team-year's enrolments per status."""
    rows = session.execute(
        select(Enrolment.status, func.count(Enrolment.id))
        .where(Enrolment.team_id == team_id, Enrolment.school_year_id == school_year_id)
        .group_by(Enrolment.status)
    )
    counts = {status.value: 0 for status in EnrolmentStatus}
    counts.update({EnrolmentStatus(status).value: n for status, n in rows})
    return counts
