"""The follow-up figures of SPEC §9, from aggregate queries whose number never grows with data.

Walks count when completed or approved. Every walk figure is read once per (team, district,
month) and summed here into the team, district and month tables and the total, so the tables
always agree; only the number of distinct polare, which does not add up, is counted by SQL
for each breakdown separately (one UNION query).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    String,
    and_,
    case,
    cast,
    distinct,
    exists,
    func,
    literal_column,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session

from polare.events.models import Event, EventType, Invitation, InvitationStatus
from polare.org.models import SchoolYear, Settings, Team, TeamYear
from polare.reports.costs import Cost
from polare.reports.models import Budget
from polare.reports.scope import ReportScope
from polare.reports.sql import month_of, seconds_between
from polare.roster.models import Enrolment
from polare.walks.models import (
    IncidentCategory,
    Participation,
    ParticipationStatus,
    Walk,
    WalkIncident,
    WalkStatus,
)

#: Walks that count in the follow-up; planned and cancelled ones do not.
COUNTED_STATUSES = (WalkStatus.COMPLETED, WalkStatus.APPROVED)
SECONDS_PER_HOUR = Decimal(3600)
HOURS_PRECISION = Decimal("0.01")


@dataclass
class Figures:
    """The walk figures and cost of one group: a team, a district, a month or everything."""

    walks: int = 0
    seconds: int = 0
    polarpass: int = 0
    #: Distinct polare with an attended participation; does not add up across groups.
    polare: int = 0
    met: int = 0
    talked: int = 0
    cost: Cost = field(default_factory=Cost)

    @property
    def hours(self) -> Decimal:
        """Return the walk hours, to two decimals."""
        return (Decimal(self.seconds) / SECONDS_PER_HOUR).quantize(HOURS_PRECISION)

    def add(self, other: Figures) -> None:
        """Add another group's additive figures to this one."""
        self.walks += other.walks
        self.seconds += other.seconds
        self.polarpass += other.polarpass
        self.met += other.met
        self.talked += other.talked
        self.cost.add(other.cost)


@dataclass(frozen=True)
class Row:
    """One line of a breakdown table."""

    key: int | str
    label: str
    figures: Figures
    #: A second label, e.g. the team whose area a district lies in.
    detail: str = ""


@dataclass
class EventCounts:
    """Events held (not cancelled) and their invitations and attendance."""

    held: int = 0
    invited: int = 0
    attended: int = 0

    def add(self, other: EventCounts) -> None:
        """Add another group's counts to this one."""
        self.held += other.held
        self.invited += other.invited
        self.attended += other.attended


@dataclass(frozen=True)
class IncidentRow:
    """Incidents of a category: in all, and per team id."""

    category: str
    total: int
    per_team: dict[int, int]


@dataclass(frozen=True)
class RecruitRow:
    """Recruits of a team in a school year against its cap."""

    team: str
    school_year: str
    #: Enrolments activated on or before `on`.
    recruited: int
    #: Enrolments active on `on`.
    active: int
    cap: int
    on: date


@dataclass(frozen=True)
class BudgetRow:
    """A school year's stipend budget and the stipends of the report within that year."""

    school_year: str
    budget: Decimal | None
    stipends: Decimal

    @property
    def share_percent(self) -> Decimal | None:
        """Return the stipends as a percentage of the budget, to one decimal."""
        if not self.budget:
            return None
        return (self.stipends * 100 / self.budget).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class CostMonth:
    """A month's cost, the school year's stipends so far (within the report) and its budget."""

    month: str
    cost: Cost
    cumulative_stipends: Decimal
    budget: Decimal | None


@dataclass
class Report:
    """Every figure of a follow-up report for one scope."""

    scope: ReportScope
    total: Figures
    by_team: list[Row]
    by_district: list[Row]
    by_month: list[Row]
    incident_teams: list[tuple[int, str]]
    incidents: list[IncidentRow]
    events_by_type: list[tuple[str, EventCounts]]
    events_by_month: dict[str, EventCounts]
    events_total: EventCounts
    recruits: list[RecruitRow]
    budgets: list[BudgetRow]
    cost_months: list[CostMonth]
    with_cost: bool
    team_names: list[str]
    district_names: list[str]
    notes: list[str] = field(default_factory=list)
    #: The month ('YYYY-MM') of the report that has not ended yet, if any: its figures grow.
    running_month: str | None = None
    #: Recruited, active and cap of every team when `recruits` lists only some (a page).
    recruit_totals: tuple[int, int, int] | None = None

    @property
    def incidents_total(self) -> int:
        """Return the number of incidents of every category."""
        return sum(row.total for row in self.incidents)

    @property
    def recruited_total(self) -> int:
        """Return the recruits of every team-year in the report."""
        if self.recruit_totals is not None:
            return self.recruit_totals[0]
        return sum(row.recruited for row in self.recruits)

    @property
    def active_total(self) -> int:
        """Return the active polare of every team-year in the report."""
        if self.recruit_totals is not None:
            return self.recruit_totals[1]
        return sum(row.active for row in self.recruits)

    @property
    def cap_total(self) -> int:
        """Return the caps of every team-year in the report."""
        if self.recruit_totals is not None:
            return self.recruit_totals[2]
        return sum(row.cap for row in self.recruits)


# ---------------------------------------------------------------- walks


def counted_walks(scope: ReportScope) -> tuple:
    """Return the WHERE clauses of the walks a report counts."""
    return (
        Walk.status.in_(COUNTED_STATUSES),
        scope.dates(Walk.walk_date),
        scope.teams(Walk.team_id),
        scope.districts(Walk.district_id),
    )


Cell = tuple[int, int, str]


def walk_cells(session: Session, scope: ReportScope) -> dict[Cell, Figures]:
    """Return the additive walk figures per (team, district, month), in two queries."""
    month = month_of(Walk.walk_date)
    keys = (Walk.team_id, Walk.district_id, month)
    cells: dict[Cell, Figures] = defaultdict(Figures)
    walk_rows = session.execute(
        select(
            *keys,
            func.count(Walk.id),
            func.coalesce(func.sum(seconds_between(Walk.starts_at, Walk.ends_at)), 0),
            func.coalesce(func.sum(Walk.youths_met), 0),
            func.coalesce(func.sum(Walk.youths_talked), 0),
        ).where(*counted_walks(scope)).group_by(*keys)
    )
    for team_id, district_id, month_key, walks, seconds, met, talked in walk_rows:
        cell = cells[(team_id, district_id, month_key)]
        cell.walks, cell.seconds, cell.met, cell.talked = (
            int(walks), int(seconds), int(met), int(talked))
    pass_rows = session.execute(
        select(*keys, func.count(Participation.id))
        .join(Participation, Participation.walk_id == Walk.id)
        .where(*counted_walks(scope), Participation.status == ParticipationStatus.ATTENDED)
        .group_by(*keys)
    )
    for team_id, district_id, month_key, count in pass_rows:
        cells[(team_id, district_id, month_key)].polarpass = int(count)
    return dict(cells)


def distinct_polare(session: Session, scope: ReportScope) -> dict[tuple[str, str], int]:
    """Return distinct polare who walked per ('team'|'district'|'month'|'total', key)."""
    walked = (
        select(
            Walk.team_id.label("team_id"),
            Walk.district_id.label("district_id"),
            month_of(Walk.walk_date).label("month"),
            Participation.person_id.label("person_id"),
        )
        .join(Participation, Participation.walk_id == Walk.id)
        .where(*counted_walks(scope), Participation.status == ParticipationStatus.ATTENDED)
        .cte("walked")
    )
    return people_per_group(session, walked, GROUPS)


#: The breakdowns distinct polare are counted for.
GROUPS = ("team", "district", "month", "total")


def people_per_group(
    session: Session, walked: Any, groups: Sequence[str], *where: Any,
    team_ids: Collection[int] | None = None,
) -> dict[tuple[str, str], int]:
    """Count the distinct polare of `walked` (rows with team_id, district_id, month and
    person_id, kept `where`) per group, in one UNION ALL statement; `team_ids` limits the
    team group to those teams (a page of them).

    Each part reads `walked` itself: a table's parts then read its indexes, where a common
    table expression would first be copied whole (at national scale, four times slower).
    """
    people = func.count(distinct(walked.c.person_id))
    keys = {"team": walked.c.team_id, "district": walked.c.district_id,
            "month": walked.c.month}
    parts = []
    for group in groups:
        if group == "total":
            parts.append(select(literal_column("'total'"), cast(literal_column("''"), String(20)),
                                people).where(*where))
            continue
        part = select(literal_column(f"'{group}'"), cast(keys[group], String(20)), people)
        if group == "team" and team_ids is not None:
            part = part.where(walked.c.team_id.in_(team_ids))
        parts.append(part.where(*where).group_by(keys[group]))
    return {(dimension, key): int(count)
            for dimension, key, count in session.execute(union_all(*parts))}


# ---------------------------------------------------------------- incidents and events


def incident_counts(session: Session, scope: ReportScope) -> list[IncidentRow]:
    """Return the incidents of counted walks per category, in all and per team, with every
    category (one statement)."""
    counts = (
        select(WalkIncident.category_id.label("category_id"), Walk.team_id.label("team_id"),
               func.sum(WalkIncident.count).label("count"))
        .join(Walk, Walk.id == WalkIncident.walk_id)
        .where(*counted_walks(scope))
        .group_by(WalkIncident.category_id, Walk.team_id)
    )
    return incident_rows(session, counts.subquery())


def incident_rows(session: Session, counts: Any) -> list[IncidentRow]:
    """Return every active category and every category with incidents, in order, from
    `counts` (category_id, team_id, count rows; team_id NULL: the category's total, when the
    per-team rows are not all of it)."""
    rows = session.execute(
        select(IncidentCategory, counts.c.team_id, counts.c.count)
        .outerjoin(counts, counts.c.category_id == IncidentCategory.id)
        .order_by(IncidentCategory.sort_order, IncidentCategory.name, IncidentCategory.id))
    found: dict[int, tuple[IncidentCategory, dict[int | None, int]]] = {}
    for category, team_id, count in rows:
        per_team = found.setdefault(category.id, (category, {}))[1]
        if count is not None:
            per_team[team_id] = int(count)
    result = []
    for category, per_team in found.values():
        total = per_team.pop(None, None)
        if category.active or per_team or total is not None:
            result.append(IncidentRow(
                category.label, sum(per_team.values()) if total is None else total, per_team))
    return result


def _event_conditions(scope: ReportScope) -> tuple:
    """Return the WHERE clause of events held in the scope and the ON clause of invitations.

    An event for all teams counts for every team; its invitations count for the teams the
    invited polare were enrolled in that school year.
    """
    if scope.team_ids is None:
        return true(), true()
    teams = scope.team_ids
    held = or_(Event.team_id.in_(teams), Event.team_id.is_(None))
    enrolled = exists().where(
        Enrolment.person_id == Invitation.person_id,
        Enrolment.school_year_id == Event.school_year_id,
        Enrolment.team_id.in_(teams),
    )
    return held, or_(Event.team_id.in_(teams), enrolled)


def event_counts(
    session: Session, scope: ReportScope
) -> tuple[list[EventType], dict[tuple[int, str], EventCounts]]:
    """Return the event types and the counts per (type, month) of events held in the scope."""
    held, invited = _event_conditions(scope)
    month = month_of(Event.event_date)
    attended = case((Invitation.status == InvitationStatus.ATTENDED, 1), else_=0)
    # Each event's invitations first, then the events per type and month: counting distinct
    # events over every invitation row sorts them all (three times slower at national scale,
    # and grouping by the event's type and month too, twice).
    per_event = (
        select(Event.type_id.label("type_id"), month.label("month"),
               func.count(Invitation.id).label("invited"),
               func.coalesce(func.sum(attended), 0).label("attended"))
        .outerjoin(Invitation, and_(Invitation.event_id == Event.id, invited))
        .where(Event.cancelled.is_(False), scope.dates(Event.event_date), held)
        .group_by(Event.id)  # its type and month depend on it
    ).subquery()
    counts = (
        select(per_event.c.type_id, per_event.c.month, func.count().label("held"),
               func.sum(per_event.c.invited).label("invited"),
               func.sum(per_event.c.attended).label("attended"))
        .group_by(per_event.c.type_id, per_event.c.month)
    ).subquery()
    rows = session.execute(
        select(EventType, counts.c.month, counts.c.held, counts.c.invited, counts.c.attended)
        .outerjoin(counts, counts.c.type_id == EventType.id)
        .order_by(EventType.sort_order, EventType.name, EventType.id))
    types: dict[int, EventType] = {}
    events = {}
    for event_type, month_key, held_count, invited_count, present in rows:
        types.setdefault(event_type.id, event_type)
        if month_key is not None:
            events[(event_type.id, month_key)] = EventCounts(
                int(held_count), int(invited_count), int(present))
    return list(types.values()), events


# ---------------------------------------------------------------- recruits and budgets


def school_years_with_budgets(
    session: Session, scope: ReportScope | None = None
) -> list[tuple[SchoolYear, Decimal | None]]:
    """Return the school years the range touches (None: every school year), with budgets."""
    query = (select(SchoolYear, Budget.amount)
             .outerjoin(Budget, Budget.school_year_id == SchoolYear.id)
             .order_by(SchoolYear.starts_on))
    if scope is not None:
        query = query.where(SchoolYear.starts_on <= scope.date_to,
                            SchoolYear.ends_on >= scope.date_from)
    return [(year, amount) for year, amount in session.execute(query)]


def years_of(
    years: Sequence[tuple[SchoolYear, Decimal | None]], scope: ReportScope
) -> list[tuple[SchoolYear, Decimal | None]]:
    """Return the school years (with budgets) the scope's range touches, of those read."""
    return [(year, budget) for year, budget in years
            if year.starts_on <= scope.date_to and year.ends_on >= scope.date_from]


def recruit_rows(
    session: Session, scope: ReportScope, teams: Sequence[Any], years: list[SchoolYear],
    today: date,
) -> list[RecruitRow]:
    """Return recruits and active polare against the cap per team and school year.

    `teams` are rows with an id and a name. One statement: every (team, school year) with
    its enrolments counted, its cap, or the default cap where the team-year has none.
    """
    if not teams or not years:
        return []
    on_dates = {year.id: _count_date(year, scope, today) for year in years}
    on, active, default_cap = _recruit_terms(on_dates)
    rows = session.execute(
        select(Team.id, SchoolYear.id,
               func.coalesce(func.sum(case((Enrolment.activated_on <= on, 1), else_=0)), 0),
               func.coalesce(func.sum(case((active, 1), else_=0)), 0),
               func.coalesce(func.max(TeamYear.cap), default_cap))
        .select_from(Team).join(SchoolYear, true())
        .outerjoin(TeamYear, and_(TeamYear.team_id == Team.id,
                                  TeamYear.school_year_id == SchoolYear.id))
        .outerjoin(Enrolment, and_(Enrolment.team_id == Team.id,
                                   Enrolment.school_year_id == SchoolYear.id,
                                   Enrolment.activated_on.is_not(None)))
        .where(Team.id.in_([team.id for team in teams]), SchoolYear.id.in_(on_dates))
        .group_by(Team.id, SchoolYear.id)
    )
    counts = {(team, year): (int(r), int(a), int(cap)) for team, year, r, a, cap in rows}
    return [
        RecruitRow(
            team=team.name, school_year=year.label,
            recruited=counts[(team.id, year.id)][0],
            active=counts[(team.id, year.id)][1],
            cap=counts[(team.id, year.id)][2],
            on=on_dates[year.id],
        )
        for year in years for team in teams
    ]


def recruit_totals(session: Session, scope: ReportScope, years: list[SchoolYear],
                   today: date) -> tuple[int, int, int]:
    """Return the recruits, active polare and caps of every active team over the school
    years, summed as `recruit_rows` of those teams would be, in one statement of two sums."""
    if not years:
        return 0, 0, 0
    on_dates = {year.id: _count_date(year, scope, today) for year in years}
    on, active, default_cap = _recruit_terms(on_dates)
    active_team = Team.active.is_(True)
    enrolled = (
        select(func.coalesce(func.sum(case((Enrolment.activated_on <= on, 1), else_=0)), 0)
               .label("recruited"),
               func.coalesce(func.sum(case((active, 1), else_=0)), 0).label("active"))
        .join(Team, Team.id == Enrolment.team_id)
        .where(active_team, Enrolment.school_year_id.in_(on_dates),
               Enrolment.activated_on.is_not(None))
    ).subquery()
    caps = (
        select(func.coalesce(func.sum(func.coalesce(TeamYear.cap, default_cap)), 0)
               .label("cap"))
        .select_from(Team).join(SchoolYear, true())
        .outerjoin(TeamYear, and_(TeamYear.team_id == Team.id,
                                  TeamYear.school_year_id == SchoolYear.id))
        .where(active_team, SchoolYear.id.in_(on_dates))
    ).subquery()
    recruited, active_count, cap = session.execute(
        select(enrolled.c.recruited, enrolled.c.active, caps.c.cap)
        .select_from(enrolled.join(caps, true()))).one()
    return int(recruited), int(active_count), int(cap)


def _recruit_terms(on_dates: dict[int, date]) -> tuple[Any, Any, Any]:
    """Return the SQL of an enrolment's counting day (by school year), of being active on
    it, and of the default cap."""
    on = case(on_dates, value=Enrolment.school_year_id)
    active = and_(Enrolment.activated_on <= on,
                  or_(Enrolment.ended_on.is_(None), Enrolment.ended_on > on))
    default_cap = func.coalesce(
        select(Settings.default_cap).where(Settings.id == 1).scalar_subquery(),
        Settings.__table__.c.default_cap.default.arg)
    return on, active, default_cap


def _count_date(year: SchoolYear, scope: ReportScope, today: date) -> date:
    """Return the day a school year's active polare are counted on (last past day in range)."""
    return max(min(year.ends_on, scope.date_to, today), year.starts_on)
