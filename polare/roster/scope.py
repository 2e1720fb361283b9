"""Who sees which polare: team scope for the views, and masked personnummer (SPEC §11)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.interfaces import ORMOption

from polare.auth.access import (
    can_access_any_team,
    ensure_team,
    team_filter,
)
from polare.auth.models import Role, User
from polare.errors import NotFoundError
from polare.org.models import SchoolYear, Team
from polare.org.services import school_year_on
from polare.roster.identity import mask_personnummer
from polare.roster.models import Enrolment, Person
from polare.roster.services import get_enrolment


def teams_for(session: Session, user: User) -> list[Team]:
    """Return the active teams the user works with (every team for admin and payroll)."""
    return list(session.scalars(
        select(Team).where(Team.active.is_(True), team_filter(user, Team.id)).order_by(Team.name)
    ))


def school_years(session: Session) -> list[SchoolYear]:
    """Return every school year, latest first."""
    return list(session.scalars(select(SchoolYear).order_by(SchoolYear.starts_on.desc())))


def may_edit(user: User) -> bool:
    """Tell whether the user may change rosters (coordinators and admin)."""
    return user.role in (Role.ADMIN, Role.COORDINATOR)


def person_or_404(session: Session, user: User, person_id: int, *options: ORMOption
                  ) -> tuple[Person, set[int]]:
    """Return the person and their team ids; 404 unless enrolled in one of the user's teams.

    One statement reads the person with their enrolments, and what the options load with them.
    """
    person = session.scalars(
        select(Person).where(Person.id == person_id)
        .options(joinedload(Person.enrolments), *options)
    ).unique().one_or_none()
    if person is None:
        abort(404)
    team_ids = {enrolment.team_id for enrolment in person.enrolments}
    if not can_access_any_team(user, team_ids):
        abort(404)
    return person, team_ids


def enrolment_or_404(session: Session, user: User, enrolment_id: int) -> Enrolment:
    """Return the enrolment; 404 when it is missing or of a team the user does not work with."""
    try:
        enrolment = get_enrolment(session, enrolment_id)
    except NotFoundError:
        abort(404)
    ensure_team(user, enrolment.team_id)
    return enrolment


def shown_personnummer(person: Person, full: bool) -> str:
    """Return the personnummer as this viewer may see it: in full or 'YYYYMMDD-****'."""
    if not person.personnummer:
        return ""
    return person.personnummer if full else mask_personnummer(person.personnummer)



def year_on(years: Sequence[SchoolYear], day: date) -> SchoolYear | None:
    """Return the school year of the list that the day belongs to, if any."""
    return next((year for year in years if year.starts_on <= day <= year.ends_on), None)


def year_after(years: Sequence[SchoolYear], year: SchoolYear) -> SchoolYear | None:
    """Return the school year of the list that starts next after this one, if any."""
    later = [other for other in years if other.starts_on > year.starts_on]
    return min(later, key=lambda other: other.starts_on, default=None)


def chosen_team_and_year(
    session: Session, user: User, team_id: int | None, year_id: int | None, *, today: date,
    teams: Sequence[Team] | None = None, years: Sequence[SchoolYear] | None = None,
) -> tuple[Team | None, SchoolYear]:
    """Return the team and school year asked for (404 outside the user's teams), or defaults.

    The defaults are the user's first team and the school year of today. `teams` and `years`
    are `teams_for` and `school_years`, when the caller has read them already.
    """
    if team_id is not None:
        team = session.get(Team, team_id)
        if team is None:
            abort(404)
        ensure_team(user, team.id)
    else:
        mine = [t for t in user.teams if t.active]
        if mine:
            team = mine[0]
        else:
            team = next(iter(teams if teams is not None else teams_for(session, user)), None)
    if year_id is not None:
        year = session.get(SchoolYear, year_id)
    elif years is not None:
        year = year_on(years, today) or next(iter(years), None)
    else:
        year = school_year_on(session, today) or next(iter(school_years(session)), None)
    if year is None:
        abort(404)
    return team, year
