"""Reports of whole months from the follow-up aggregates: some teams (with or without a choice
of their districts) in full, every team a page of the team table at a time (`country`).

Their figures are those of `compute_report` (a property test compares them after random
changes). Events and recruits are counted from the source, as the full computation does: they
are not split by district, and a team's are few.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

import payroll
from polare.org.models import SchoolYear
from polare.pay.services.facts import PayCalendar, pay_calendar
from polare.reports.aggregates import Progress, refresh_progress, refresh_teams
from polare.reports.costs import Cost, CostBreakdown, _cost_notes, preview_months
from polare.reports.country import _errors, _whole_months, compute_country_report
from polare.reports.figures import (
    GROUPS,
    Cell,
    Figures,
    IncidentRow,
    Report,
    incident_rows,
    people_per_group,
    years_of,
)
from polare.reports.models import FollowUpCell, FollowUpIncident, FollowUpWalker
from polare.reports.periods import month_key
from polare.reports.report import Places, _notes, assemble_report
from polare.reports.scope import ReportScope


def report_from_aggregates(
    session: Session, scope: ReportScope, *, today: date, with_cost: bool, places: Places,
    years: Sequence[tuple[SchoolYear, Decimal | None]], page: int,
    rebuild_seconds: float | None = None,
) -> tuple[Report, int] | Progress | None:
    """Return the report and its number of pages (0: not paged) from the aggregates, after
    bringing its teams' aggregates up to date; None when they cannot give it and the full
    computation must: a range of part months, some districts of every team, some teams'
    aggregates that could not be rebuilt, or teams whose payroll previews had errors
    (`compute_teams_report`).

    Every team's report rebuilds stale aggregates for at most `rebuild_seconds` (None: as long
    as it takes) and returns how far the rebuild has come when teams are left: computing the
    whole country from the source instead would take as long and give a page nobody can read.

    `places` and `years` (every school year with its budget) are what the page read already.
    """
    if not _whole_months(scope.date_from, scope.date_to) or (
            scope.team_ids is None and scope.district_ids):
        return None
    calendar = pay_calendar(session)
    if scope.team_ids is None:
        if not refresh_teams(session, today, None, calendar, seconds=rebuild_seconds):
            return refresh_progress(session, today, calendar)
        return compute_country_report(session, scope, today=today, with_cost=with_cost,
                                      page=page, places=places, years=years,
                                      calendar=calendar)
    if not refresh_teams(session, today, scope.team_ids, calendar):
        return None
    report = compute_teams_report(session, scope, today=today, with_cost=with_cost,
                                  places=places, years=years, calendar=calendar)
    return None if report is None else (report, 0)


def compute_teams_report(
    session: Session, scope: ReportScope, *, today: date, with_cost: bool, places: Places,
    years: Sequence[tuple[SchoolYear, Decimal | None]], calendar: PayCalendar,
) -> Report | None:
    """Return the report of some teams (scope.team_ids) over whole months from the current
    aggregates, or None when their payroll previews had errors: those are kept for every team
    rebuilt together and may name other teams' polare, so the full computation says which."""
    months = (month_key(scope.date_from), month_key(scope.date_to))
    latest_closed = calendar.latest_closed
    previewed = preview_months(scope, latest_closed, today) if with_cost else []
    if with_cost and _errors(session, previewed, scope.team_ids):
        return None
    cells, costs = _cells(session, scope, months, latest_closed, previewed, with_cost)
    walker = FollowUpWalker.__table__
    return assemble_report(
        session, scope, today=today, with_cost=with_cost, places=places,
        years=years_of(years, scope), cells=cells,
        people=people_per_group(session, walker, GROUPS, walker.c.month.between(*months),
                                scope.teams(walker.c.team_id),
                                scope.districts(walker.c.district_id)),
        incidents=_incidents(session, scope, months),
        notes=_notes(scope, _cost_notes(costs, []) if with_cost else []))


def _cells(
    session: Session, scope: ReportScope, months: tuple[str, str], latest_closed: str | None,
    previewed: list[str], with_cost: bool,
) -> tuple[dict[Cell, Figures], CostBreakdown]:
    """Return the figures per (team, district, month) of the scope, and what its cost notes
    need: previewed months, example rates, unpriced stipends (as `_cost_state`, by district).

    A cell with neither walks nor stipend lines (only planned walks), or with only stipend
    lines in a report without cost, is left out, as the full computation has no such cell.
    """
    cell = FollowUpCell
    rows = session.execute(
        select(cell.team_id, cell.district_id, cell.month, cell.walks, cell.seconds,
               cell.polarpass, cell.met, cell.talked, cell.stipends, cell.contributions,
               cell.costed, cell.previewed, cell.examples_used, cell.unpriced)
        .where(cell.month.between(*months), scope.teams(cell.team_id),
               scope.districts(cell.district_id)))
    earliest = payroll.earliest_open(latest_closed)
    months_previewed = {month for month in previewed if months[0] <= month <= months[1]}
    costs = CostBreakdown()
    cells: dict[Cell, Figures] = {}
    for row in rows:
        cost = Cost(row.stipends, row.contributions) if with_cost else Cost()
        if row.walks or (with_cost and row.costed):
            cells[(row.team_id, row.district_id, row.month)] = Figures(
                walks=row.walks, seconds=row.seconds, polarpass=row.polarpass, met=row.met,
                talked=row.talked, cost=cost)
        costs.examples_used = costs.examples_used or row.examples_used
        if row.previewed:
            months_previewed.add(row.month if latest_closed is None or row.month > latest_closed
                                 else str(earliest))
        for item in row.unpriced.split():
            age, day = item.split(":")
            costs.unpriced.add((int(age), date.fromisoformat(day)))
    costs.preview_months = sorted(months_previewed)
    return cells, costs


def _incidents(session: Session, scope: ReportScope,
               months: tuple[str, str]) -> list[IncidentRow]:
    """Return the incidents of the scope per category, in all and per team."""
    incident = FollowUpIncident
    counts = (
        select(incident.category_id.label("category_id"), incident.team_id.label("team_id"),
               func.sum(incident.count).label("count"))
        .where(incident.month.between(*months), scope.teams(incident.team_id),
               scope.districts(incident.district_id))
        .group_by(incident.category_id, incident.team_id)
    ).subquery()
    return incident_rows(session, counts)

