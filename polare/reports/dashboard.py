"""The start page's figures for a user's teams: this month and this school year at a glance.

A fixed number of queries: walks in one grouped query, active polare in one, the caps and the
default cap in one, required training in the events domain's one, and cost from the report's
cost queries. Where the aggregates are read, the pay calendar is read once and passed down.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, case, func, literal_column, or_, select
from sqlalchemy.orm import Session

import payroll
from polare.auth.access import team_ids_for
from polare.auth.models import User
from polare.events.training import missing_required_training
from polare.org.models import SchoolYear, Settings, Team, TeamYear
from polare.org.services import get_settings, school_year_on
from polare.pay.services.facts import PayCalendar, first_pay_period, pay_calendar
from polare.reports.aggregates import Progress, refresh_progress, refresh_teams
from polare.reports.costs import ZERO, Previews, preview_items, stipend_costs
from polare.reports.country import country_cost, country_walk_figures, walk_figures
from polare.reports.figures import COUNTED_STATUSES
from polare.reports.models import FollowUpTeam
from polare.reports.periods import month_key, month_span
from polare.reports.scope import ReportScope, sees_cost
from polare.roster.models import Enrolment, EnrolmentStatus
from polare.walks.models import Walk, WalkStatus

#: More active teams than this (a whole country) and the start page lists only those needing
#: attention; the report page has every team's figures.
MANY_TEAMS = 30
#: The most teams the start page lists as needing attention.
ATTENTION_ROWS = 20


@dataclass
class WalkFigures:
    """Walks done and planned and the youths met and talked with in a period."""

    done: int = 0
    planned: int = 0
    met: int = 0
    talked: int = 0


@dataclass
class TeamStatus:
    """A team's active polare against its cap, walks to approve and training gaps."""

    team_id: int
    name: str
    active: int = 0
    cap: int = 0
    awaiting_approval: int = 0
    missing_training: int = 0


@dataclass(frozen=True)
class CostSummary:
    """Stipends of the school year so far and the open period's preliminary total."""

    year_stipends: Decimal
    open_month: str
    open_total: Decimal
    notes: list[str]


@dataclass
class Dashboard:
    """Everything the start page shows."""

    today: date
    month: str
    school_year: SchoolYear | None
    this_month: WalkFigures = field(default_factory=WalkFigures)
    this_year: WalkFigures = field(default_factory=WalkFigures)
    teams: list[TeamStatus] = field(default_factory=list)
    cost: CostSummary | None = None
    #: Every team's figures summed, when `teams` holds only those needing attention.
    totals: TeamStatus | None = None
    #: The number of teams the totals cover.
    team_count: int = 0
    #: Set, instead of any figures, while a whole country's aggregates are being rebuilt.
    rebuilding: Progress | None = None

    @property
    def attention_only(self) -> bool:
        """Tell whether the rows are only the teams needing attention (a whole country)."""
        return self.totals is not None

    @property
    def active(self) -> int:
        """Return the active polare of all the teams."""
        return self._total("active")

    @property
    def cap(self) -> int:
        """Return the caps of all the teams."""
        return self._total("cap")

    @property
    def awaiting_approval(self) -> int:
        """Return the walks of all the teams waiting for approval."""
        return self._total("awaiting_approval")

    @property
    def missing_training(self) -> int:
        """Return the active polare lacking required training."""
        return self._total("missing_training")

    def _total(self, name: str) -> int:
        if self.totals is not None:
            return getattr(self.totals, name)
        return sum(getattr(team, name) for team in self.teams)


def _teams(session: Session, user: User) -> list[Team]:
    allowed = team_ids_for(user)
    if allowed is not None:
        return sorted(user.teams, key=lambda team: team.name)
    return list(session.scalars(select(Team).where(Team.active.is_(True)).order_by(Team.name)))


def _walk_figures(
    session: Session, board: Dashboard, team_ids: list[int], statuses: dict[int, TeamStatus]
) -> None:
    """Fill in the walk figures of the month and school year, and the walks to approve."""
    first, last = month_span(board.today.year, board.today.month)
    in_month = case((and_(Walk.walk_date >= first, Walk.walk_date <= last), 1), else_=0)
    year = board.school_year
    if year is not None:
        in_year = case((and_(Walk.walk_date >= year.starts_on,
                             Walk.walk_date <= year.ends_on), 1), else_=0)
        wanted = or_(in_month == 1, in_year == 1, Walk.status == WalkStatus.COMPLETED)
    else:
        in_year = literal_column("0")
        wanted = or_(in_month == 1, Walk.status == WalkStatus.COMPLETED)
    keys = (Walk.team_id, Walk.status, in_month, in_year)
    rows = session.execute(
        select(*keys, func.count(Walk.id), func.coalesce(func.sum(Walk.youths_met), 0),
               func.coalesce(func.sum(Walk.youths_talked), 0))
        .where(Walk.team_id.in_(team_ids), Walk.status != WalkStatus.CANCELLED, wanted)
        .group_by(*keys)
    )
    for team_id, status, month_flag, year_flag, count, met, talked in rows:
        if status == WalkStatus.COMPLETED:
            statuses[team_id].awaiting_approval += count
        for flag, figures in ((month_flag, board.this_month), (year_flag, board.this_year)):
            if not flag:
                continue
            if status in COUNTED_STATUSES:
                figures.done += count
                figures.met += int(met)
                figures.talked += int(talked)
            elif status == WalkStatus.PLANNED:
                figures.planned += count


def _caps(session: Session, year: SchoolYear, team_ids: list[int]) -> tuple[int, dict[int, int]]:
    """Return the default cap and the teams' own caps of the school year, in one statement."""
    rows = session.execute(
        select(Settings.default_cap, TeamYear.team_id, TeamYear.cap)
        .outerjoin(TeamYear, and_(TeamYear.school_year_id == year.id,
                                  TeamYear.team_id.in_(team_ids)))
        .where(Settings.id == 1)
    ).all()
    # No row only when the settings row is yet to be made (get_settings makes it).
    default_cap = rows[0][0] if rows else get_settings(session).default_cap
    return default_cap, {team_id: cap for _default, team_id, cap in rows if team_id is not None}


def _roster_figures(
    session: Session, year: SchoolYear, team_ids: list[int], statuses: dict[int, TeamStatus]
) -> None:
    """Fill in active polare, caps and missing required training of the school year."""
    active = session.execute(
        select(Enrolment.team_id, Enrolment.person_id).where(
            Enrolment.school_year_id == year.id, Enrolment.team_id.in_(team_ids),
            Enrolment.status == EnrolmentStatus.ACTIVE)
    ).all()
    default_cap, caps = _caps(session, year, team_ids)
    missing = missing_required_training(session, {p for _t, p in active}, year.id)
    for status in statuses.values():
        status.cap = caps.get(status.team_id, default_cap)
    for team_id, person_id in active:
        statuses[team_id].active += 1
        if missing.get(person_id):
            statuses[team_id].missing_training += 1


def _cost(
    session: Session, board: Dashboard, team_ids: frozenset[int] | None
) -> CostSummary:
    """Return the school year's stipends so far and the open period's preliminary total."""
    previews = Previews(session, team_ids)
    start = board.school_year.starts_on if board.school_year else board.today.replace(day=1)
    # To the month's end, as the aggregates count whole months (no stipend lies ahead anyway:
    # a walk is attended only once it has begun).
    end = month_span(board.today.year, board.today.month)[1]
    year = stipend_costs(session, ReportScope(start, end, team_ids), board.today, previews)
    open_month = payroll.open_period_shown(previews.latest_closed, first_pay_period(session),
                                           board.month)
    lines, _errors = previews.lines([open_month])
    everything = ReportScope(date.min, date.max, team_ids)
    open_total = sum((item.amount for item in preview_items(session, everything, lines)), ZERO)
    stipends = sum((cell.stipends for cell in year.cells.values()), ZERO)
    return CostSummary(stipends, open_month, open_total, year.notes)


def build_dashboard(session: Session, user: User, today: date, *,
                    rebuild_seconds: float | None = None) -> Dashboard:
    """Return the start page's figures for the user's teams.

    A whole country's board rebuilds stale aggregates for at most `rebuild_seconds` (None: as
    long as it takes); when teams are left, the board has no figures but says how far the
    rebuild has come (`rebuilding`), and the next view goes on with it.
    """
    board = Dashboard(today=today, month=month_key(today),
                      school_year=school_year_on(session, today))
    # Read once, where aggregates are read: their key and the cost summary both need it.
    calendar = None
    if (team_ids_for(user) is None and board.school_year is not None
            and active_team_count(session) > MANY_TEAMS):
        calendar = pay_calendar(session)
        if not refresh_teams(session, today, calendar=calendar, seconds=rebuild_seconds):
            board.rebuilding = refresh_progress(session, today, calendar)
            return board
        country = _country_board(session, board, board.school_year, sees_cost(user), calendar)
        if country is not None:
            return country
    teams = _teams(session, user)
    team_ids = [team.id for team in teams]
    statuses = {team.id: TeamStatus(team.id, team.name) for team in teams}
    board.teams = list(statuses.values())
    if not teams:
        return board
    scoped = None if team_ids_for(user) is None else frozenset(team_ids)
    calendar = calendar if calendar is not None else pay_calendar(session)
    current = refresh_teams(session, today, scoped, calendar)
    if not (current and _country_walk_figures(session, board, statuses, scoped)):
        _walk_figures(session, board, team_ids, statuses)
    if board.school_year is not None and not (
            current and scoped is None
            and _country_roster(session, board.school_year, statuses)):
        _roster_figures(session, board.school_year, team_ids, statuses)
    if sees_cost(user):
        board.cost = (current and _country_cost(session, board, scoped, calendar)) or _cost(
            session, board, scoped)
    return board


def active_team_count(session: Session) -> int:
    """Return the number of active teams."""
    return session.scalar(select(func.count(Team.id)).where(Team.active.is_(True))) or 0


def _country_board(session: Session, empty: Dashboard, year: SchoolYear,
                   with_cost: bool, calendar: PayCalendar | None = None) -> Dashboard | None:
    """Return a whole country's board from the aggregates: the totals, and the teams that
    need attention (over the cap, walks to approve, training missing), at most
    `ATTENTION_ROWS`, those most in need first. None when the aggregates cannot give it (the
    roster counted for another school year, a school year of part months, preview errors)."""
    if session.scalar(select(FollowUpTeam.team_id).join(Team).where(
            Team.active.is_(True), FollowUpTeam.roster_year_id != year.id).limit(1)) is not None:
        return None
    found = walk_figures(session, empty.month, (year.starts_on, year.ends_on))
    if found is None:
        return None
    board = Dashboard(today=empty.today, month=empty.month, school_year=year)
    if with_cost:
        board.cost = _country_cost(session, board, calendar=calendar)
        if board.cost is None:
            return None
    this_month, this_year = found
    board.this_month = WalkFigures(**this_month)
    board.this_year = WalkFigures(**(this_year or {}))
    cap = func.coalesce(TeamYear.cap, get_settings(session).default_cap)
    waiting = FollowUpTeam.awaiting
    teams = (
        select(Team.id, Team.name, FollowUpTeam.active, cap.label("cap"),
               waiting.label("waiting"), FollowUpTeam.missing_training)
        .join(FollowUpTeam, FollowUpTeam.team_id == Team.id)
        .outerjoin(TeamYear, and_(TeamYear.team_id == Team.id,
                                  TeamYear.school_year_id == year.id))
        .where(Team.active.is_(True))
    )
    every = teams.subquery()
    count, active, caps, approvals, missing = session.execute(
        select(func.count(), *(func.coalesce(func.sum(column), 0) for column in (
            every.c.active, every.c.cap, every.c.waiting, every.c.missing_training)))).one()
    board.team_count = int(count)
    board.totals = TeamStatus(0, "", int(active), int(caps), int(approvals), int(missing))
    over_cap = FollowUpTeam.active > cap
    needing = teams.where(or_(over_cap, waiting > 0, FollowUpTeam.missing_training > 0))
    board.teams = [
        TeamStatus(team_id, name, active, team_cap, int(waits), team_missing)
        for team_id, name, active, team_cap, waits, team_missing in session.execute(
            needing.order_by(over_cap.desc(), waiting.desc(),
                             FollowUpTeam.missing_training.desc(), Team.name)
            .limit(ATTENTION_ROWS))
    ]
    return board


def _country_roster(session: Session, year: SchoolYear,
                    statuses: dict[int, TeamStatus]) -> bool:
    """Fill in the teams' active polare, caps and training gaps from the aggregates; False
    when they were counted for another school year."""
    rows = session.execute(
        select(FollowUpTeam.team_id, FollowUpTeam.roster_year_id, FollowUpTeam.active,
               FollowUpTeam.missing_training)
        .where(FollowUpTeam.team_id.in_(select(Team.id).where(Team.active.is_(True))))).all()
    if len(rows) != len(statuses) or any(year_id != year.id for _t, year_id, _a, _m in rows):
        return False
    caps = dict(session.execute(select(TeamYear.team_id, TeamYear.cap)
                                .where(TeamYear.school_year_id == year.id)).all())
    default_cap = get_settings(session).default_cap
    for team_id, _year_id, active, missing in rows:
        status = statuses[team_id]
        status.active, status.missing_training = active, missing
        status.cap = caps.get(team_id, default_cap)
    return True


def _country_walk_figures(session: Session, board: Dashboard, statuses: dict[int, TeamStatus],
                          team_ids: frozenset[int] | None = None) -> bool:
    """Fill in the teams' walk figures from the aggregates (None: every active team); False
    when they cannot be."""
    year = board.school_year
    found = country_walk_figures(session, board.month,
                                 (year.starts_on, year.ends_on) if year else None, team_ids)
    if found is None:
        return False
    this_month, this_year, awaiting = found
    board.this_month = WalkFigures(**this_month)
    if this_year is not None:
        board.this_year = WalkFigures(**this_year)
    for team_id, count in awaiting.items():
        if team_id in statuses:
            statuses[team_id].awaiting_approval = count
    return True


def _country_cost(session: Session, board: Dashboard, team_ids: frozenset[int] | None = None,
                  calendar: PayCalendar | None = None) -> CostSummary | None:
    """Return the teams' cost summary from the aggregates (None: every team), or None when
    it cannot be. `calendar`: the pay calendar, when the caller has read it already."""
    start = board.school_year.starts_on if board.school_year else board.today.replace(day=1)
    found = country_cost(session, start, board.today, team_ids, calendar)
    return CostSummary(*found) if found is not None else None

