"""Reading walks: the filtered list, the approval queue, a polare's walks, form choices."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, case, func, literal, or_, select, union_all
from sqlalchemy.orm import Session, joinedload, selectinload

from polare.auth.access import team_filter
from polare.auth.models import Role, User, user_teams
from polare.org.models import SchoolYear
from polare.roster.models import Enrolment, EnrolmentStatus, Person
from polare.walks.models import (
    IncidentCategory,
    Participation,
    ParticipationStatus,
    Walk,
    WalkStatus,
)
from polare.walks.rules import enrolment_active_on


@dataclass(frozen=True)
class WalkFilter:
    """The filters of the walk list; None means any."""

    team_id: int | None = None
    status: WalkStatus | None = None
    district_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None


def filtered_walks(user: User, filters: WalkFilter) -> Select[tuple[Walk]]:
    """Return the walks of the user's teams matching the filters, unordered."""
    query = select(Walk).where(team_filter(user, Walk.team_id))
    if filters.team_id:
        query = query.where(Walk.team_id == filters.team_id)
    if filters.status:
        query = query.where(Walk.status == filters.status)
    if filters.district_id:
        query = query.where(Walk.district_id == filters.district_id)
    if filters.date_from:
        query = query.where(Walk.walk_date >= filters.date_from)
    if filters.date_to:
        query = query.where(Walk.walk_date <= filters.date_to)
    return query


class WalkListPage(Pagination):
    """A page of the walk list: today's and later walks first, soonest first; then earlier
    walks, latest first.

    Each part is read in the order of an index on the walks' dates (`walk_date`, or
    `ix_walks_team_date` for some teams), up to the end of the page, so a page costs the same
    however many walks the country has; ordering every walk by a CASE made the administrator's
    list grow with the country. A walk's start orders walks of the same date. Takes
    `session`, `select` (`filtered_walks`) and `today`.
    """

    def _query_items(self) -> list[Walk]:
        session, query = self._query_args["session"], self._query_args["select"]
        today = self._query_args["today"]
        reach = self._query_offset + self.per_page
        ids = query.with_only_columns(Walk.id, Walk.starts_at)
        upcoming = (ids.add_columns(literal(0).label("part")).where(Walk.walk_date >= today)
                    .order_by(Walk.walk_date, Walk.starts_at, Walk.id).limit(reach).subquery())
        earlier = (ids.add_columns(literal(1).label("part")).where(Walk.walk_date < today)
                   .order_by(Walk.walk_date.desc(), Walk.starts_at.desc(), Walk.id)
                   .limit(reach).subquery())
        both = union_all(select(upcoming), select(earlier)).subquery()
        page_ids = list(session.scalars(
            select(both.c.id)
            .order_by(both.c.part, case((both.c.part == 0, both.c.starts_at)),
                      both.c.starts_at.desc(), both.c.id)
            .limit(self.per_page).offset(self._query_offset)))
        walks = {walk.id: walk for walk in session.scalars(
            select(Walk).where(Walk.id.in_(page_ids))
            .options(joinedload(Walk.team), joinedload(Walk.district)))}
        return [walks[walk_id] for walk_id in page_ids]

    def _query_count(self) -> int:
        query = self._query_args["select"].with_only_columns(func.count(),
                                                            maintain_column_froms=True)
        return self._query_args["session"].scalar(query) or 0


def walk_list_page(session: Session, user: User, filters: WalkFilter, today: date, *,
                   page: int, per_page: int) -> WalkListPage:
    """Return a page of the walks of the user's teams matching the filters (see
    `WalkListPage`); a page past the end is empty."""
    return WalkListPage(page=page, per_page=per_page, error_out=False, session=session,
                        select=filtered_walks(user, filters), today=today)


def next_walks(session: Session, user: User, now: datetime, limit: int = 2) -> list[Walk]:
    """Return the user's teams' planned walks that have not ended, soonest first."""
    return list(session.scalars(
        select(Walk)
        .options(joinedload(Walk.team), joinedload(Walk.district),
                 selectinload(Walk.participations))
        .where(team_filter(user, Walk.team_id), Walk.status == WalkStatus.PLANNED,
               Walk.ends_at > now)
        .order_by(Walk.starts_at, Walk.id)
        .limit(limit)
    ))


def approval_queue_query(user: User) -> Select[tuple[Walk]]:
    """Return the completed walks of the user's teams awaiting approval, oldest first."""
    return (
        select(Walk)
        .options(joinedload(Walk.team), joinedload(Walk.district),
                 selectinload(Walk.participations).selectinload(Participation.person))
        .where(team_filter(user, Walk.team_id), Walk.status == WalkStatus.COMPLETED)
        .order_by(Walk.starts_at, Walk.id)
    )


@dataclass(frozen=True)
class Headcount:
    """How many polare a walk has, and how many attended."""

    total: int = 0
    attended: int = 0


def headcounts(session: Session, walk_ids: Collection[int]) -> dict[int, Headcount]:
    """Return the polare counts of the walks in one query."""
    if not walk_ids:
        return {}
    attended = func.sum(case((Participation.status == ParticipationStatus.ATTENDED, 1), else_=0))
    rows = session.execute(
        select(Participation.walk_id, func.count(), attended)
        .where(Participation.walk_id.in_(set(walk_ids)))
        .group_by(Participation.walk_id)
    ).all()
    return {walk_id: Headcount(total, int(done or 0)) for walk_id, total, done in rows}


@dataclass(frozen=True)
class PersonWalk:
    """A walk on a polare's page, with the polare's attendance."""

    walk: Walk
    status: ParticipationStatus
    joined_on_night: bool


def walks_of_person(
    session: Session, person_id: int, limit: int = 20,
    team_ids: Collection[int] | None = None,
) -> list[PersonWalk]:
    """Return the polare's latest walks (of the teams, or any), newest first, with attendance."""
    query = (
        select(Walk, Participation.status, Participation.joined_on_night)
        .join(Participation, Participation.walk_id == Walk.id)
        .options(joinedload(Walk.team), joinedload(Walk.district))
        .where(Participation.person_id == person_id)
        .order_by(Walk.starts_at.desc(), Walk.id.desc())
        .limit(limit)
    )
    if team_ids is not None:
        query = query.where(Walk.team_id.in_(set(team_ids)))
    rows = session.execute(query).all()
    return [PersonWalk(walk, status, joined) for walk, status, joined in rows]


def staff_choices(session: Session, team_id: int, include: Collection[int] = ()) -> list[User]:
    """Return the active coordinators and supervisors of the team, plus the given users."""
    in_team = select(user_teams.c.user_id).where(user_teams.c.team_id == team_id)
    return list(session.scalars(
        select(User)
        .where(or_(
            User.id.in_(set(include)),
            User.active.is_(True) & User.role.in_([Role.COORDINATOR, Role.SUPERVISOR])
            & User.id.in_(in_team),
        ))
        .order_by(User.full_name, User.username)
    ))


def plannable_polare(
    session: Session, team_id: int, today: date, include: Collection[int] = ()
) -> list[Person]:
    """Return the team's active polare of this and later school years, plus the given persons."""
    active = (
        select(Enrolment.person_id)
        .join(SchoolYear, SchoolYear.id == Enrolment.school_year_id)
        .where(Enrolment.team_id == team_id, Enrolment.status == EnrolmentStatus.ACTIVE,
               SchoolYear.ends_on >= today)
    )
    return list(session.scalars(
        select(Person)
        .where(or_(Person.id.in_(active), Person.id.in_(set(include))))
        .order_by(Person.sort_key)
    ))


def polare_active_on(session: Session, team_id: int, day: date) -> list[Person]:
    """Return the polare with an enrolment in the team active on the day."""
    active = (
        select(Enrolment.person_id)
        .join(SchoolYear, SchoolYear.id == Enrolment.school_year_id)
        .where(Enrolment.team_id == team_id, *enrolment_active_on(day))
    )
    return list(session.scalars(
        select(Person).where(Person.id.in_(active)).order_by(Person.sort_key)))


def incident_categories(session: Session, include: Collection[int] = ()) -> list[IncidentCategory]:
    """Return the active incident categories, plus the given ones, in their order."""
    return list(session.scalars(
        select(IncidentCategory)
        .where(or_(IncidentCategory.active.is_(True), IncidentCategory.id.in_(set(include))))
        .order_by(IncidentCategory.sort_order, IncidentCategory.name)
    ))


#: The days around today whose walks a phone keeps for logging without a signal.
OFFLINE_DAYS_BEFORE, OFFLINE_DAYS_AFTER = 1, 7


def walks_to_keep_offline(session: Session, user: User, today: date) -> list[Walk]:
    """Return the not-cancelled walks of the user's own teams from yesterday to a week ahead."""
    team_ids = [team.id for team in user.teams]
    if not team_ids:
        return []
    return list(session.scalars(
        select(Walk)
        .where(Walk.team_id.in_(team_ids), Walk.status != WalkStatus.CANCELLED,
               Walk.walk_date.between(today - timedelta(days=OFFLINE_DAYS_BEFORE),
                                      today + timedelta(days=OFFLINE_DAYS_AFTER)))
        .order_by(Walk.starts_at, Walk.id)
    ))
