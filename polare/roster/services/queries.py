"""Read-only questions about polare: active enrolments, age, years in the programme."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, joinedload

from payroll.ages import age_on, years_in_programme
from polare.org.models import SchoolYear
from polare.org.services import school_year_on
from polare.roster.models import Enrolment, EnrolmentStatus, Person

#: Age from which no guardian consent is needed.
ADULT_AGE = 18


def latest_birth_date_for_age(age: int, on: date) -> date:
    """Return the latest birth date of someone who is at least `age` years old on the day."""
    try:
        return on.replace(year=on.year - age)
    except ValueError:  # 29 February in a year that has none: that birthday is 1 March
        return date(on.year - age, 2, 28)


def is_minor_on(person: Person, day: date) -> bool:
    """Tell whether the person is under 18 on the day."""
    return age_on(person.birth_date, day) < ADULT_AGE


def active_enrolment_on(session: Session, person_id: int, day: date) -> Enrolment | None:
    """Return the person's enrolment that is active on the day (SPEC §3), if any."""
    return session.scalars(
        select(Enrolment)
        .join(Enrolment.school_year)
        .where(
            Enrolment.person_id == person_id,
            Enrolment.activated_on.is_not(None),
            Enrolment.activated_on <= day,
            or_(Enrolment.ended_on.is_(None), Enrolment.ended_on > day),
            SchoolYear.starts_on <= day,
            SchoolYear.ends_on >= day,
        )
        .options(joinedload(Enrolment.team), joinedload(Enrolment.school_year))
        .order_by(Enrolment.activated_on, Enrolment.id)
        .limit(1)
    ).first()


def _current_year_start(session: Session, day: date, school_year: SchoolYear | None) -> date:
    """Return the start of the school year of the day (the day itself between school years)."""
    if school_year is not None:
        if not school_year.starts_on <= day <= school_year.ends_on:
            raise ValueError(f"{day} is not in the school year {school_year.label}")
        return school_year.starts_on
    year = school_year_on(session, day)
    return year.starts_on if year is not None else day


def years_in_programme_by_person(
    session: Session, person_ids: Collection[int], day: date,
    school_year: SchoolYear | None = None,
) -> dict[int, int]:
    """Map each person to their years in the programme on the day, in one query.

    `school_year`: the school year the day lies in, when the caller has read it already.
    """
    ids = set(person_ids)
    if not ids:
        return {}
    current_start = _current_year_start(session, day, school_year)
    starts: dict[int, list[date]] = {person_id: [] for person_id in ids}
    prior: dict[int, int] = {}
    rows = session.execute(
        select(Person.id, Person.prior_years, SchoolYear.starts_on)
        .outerjoin(Enrolment, and_(Enrolment.person_id == Person.id,
                                   Enrolment.activated_on.is_not(None)))
        .outerjoin(SchoolYear, SchoolYear.id == Enrolment.school_year_id)
        .where(Person.id.in_(ids))
        .distinct()
    )
    for person_id, prior_years, starts_on in rows:
        prior[person_id] = prior_years
        if starts_on is not None:
            starts[person_id].append(starts_on)
    return {
        person_id: years_in_programme(starts[person_id], current_start, prior.get(person_id, 0))
        for person_id in ids
    }


def years_in_programme_on(session: Session, person: Person, day: date) -> int:
    """Return the person's years in the programme on the day (SPEC §3)."""
    return years_in_programme_by_person(session, [person.id], day)[person.id]


def count_active(session: Session, team_id: int, school_year_id: int) -> int:
    """Count the enrolments of a team and school year whose status is active."""
    return session.scalar(
        select(func.count(Enrolment.id)).where(
            Enrolment.team_id == team_id,
            Enrolment.school_year_id == school_year_id,
            Enrolment.status == EnrolmentStatus.ACTIVE,
        )
    ) or 0


def person_team_ids(session: Session, person_id: int) -> set[int]:
    """Return the ids of the teams the person has (or had) an enrolment in."""
    return set(session.scalars(
        select(Enrolment.team_id).where(Enrolment.person_id == person_id).distinct()
    ))


def waiting_list(session: Session, team_id: int, school_year_id: int) -> list[Enrolment]:
    """Return the waitlisted enrolments of a team and school year, first come first."""
    return list(session.scalars(
        select(Enrolment)
        .where(
            Enrolment.team_id == team_id,
            Enrolment.school_year_id == school_year_id,
            Enrolment.status == EnrolmentStatus.WAITLISTED,
        )
        .options(joinedload(Enrolment.person))
        .order_by(Enrolment.waitlisted_at, Enrolment.id)
    ))


def reference_day(year: SchoolYear, today: date) -> date:
    """Return today if it lies in the school year, else the year's nearest end."""
    return min(max(today, year.starts_on), year.ends_on)
