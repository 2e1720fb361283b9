"""Assemble a follow-up report: every figure of a scope, broken down by team, district, month."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from polare.org.models import District, SchoolYear, Team
from polare.reports.costs import ZERO, CostBreakdown, stipend_costs
from polare.reports.figures import (
    BudgetRow,
    Cell,
    CostMonth,
    EventCounts,
    Figures,
    IncidentRow,
    Report,
    Row,
    distinct_polare,
    event_counts,
    incident_counts,
    recruit_rows,
    school_years_with_budgets,
    walk_cells,
)
from polare.reports.periods import month_key, months_between
from polare.reports.scope import ReportScope


def compute_report(
    session: Session, scope: ReportScope, *, today: date, with_cost: bool = True
) -> Report:
    """Compute every figure of the scope; the number of queries does not depend on the data."""
    teams = list(session.scalars(
        select(Team).where(scope.teams(Team.id)).order_by(Team.name)))
    cells = walk_cells(session, scope)
    costs = stipend_costs(session, scope, today) if with_cost else CostBreakdown()
    for key, cost in costs.cells.items():
        cells.setdefault(key, Figures()).cost = cost
    districts = _districts_shown(session, scope, {district for _t, district, _m in cells})
    people = distinct_polare(session, scope)
    team_rows, district_rows, month_rows, total = _breakdowns(scope, cells, people, teams,
                                                             districts)
    categories, incidents = incident_counts(session, scope)
    types, events = event_counts(session, scope)
    years = school_years_with_budgets(session, scope)
    shown_teams = [team for team in teams if scope.has_team(team.id) and team.active]
    report = Report(
        scope=scope,
        total=total,
        by_team=team_rows,
        by_district=district_rows,
        by_month=month_rows,
        incident_teams=[(team.id, team.name) for team in shown_teams],
        incidents=[
            IncidentRow(category.label,
                        sum(n for (c, _t), n in incidents.items() if c == category.id),
                        {t: n for (c, t), n in incidents.items() if c == category.id})
            for category in categories
            if category.active or any(c == category.id for c, _t in incidents)
        ],
        events_by_type=_events_by_type(types, events),
        events_by_month=_events_by_month(scope, events),
        events_total=_sum_events(events.values()),
        recruits=recruit_rows(session, scope, shown_teams, [year for year, _b in years], today),
        budgets=[],
        cost_months=[],
        with_cost=with_cost,
        team_names=[team.name for team in teams if scope.team_ids is not None
                    and team.id in scope.team_ids],
        district_names=[d.name for d, _team in districts if d.id in scope.district_ids],
    )
    if with_cost:
        report.cost_months, report.budgets = _cost_by_month(month_rows, years)
    report.notes = _notes(scope, costs, with_cost)
    if scope.date_from <= today <= scope.date_to:
        report.running_month = month_key(today)
    return report


def _districts_shown(session: Session, scope: ReportScope,
                     walked_in: set[int]) -> list[tuple[District, str]]:
    """Return the districts a report can show, with their team's name: those of the scope's
    teams, those walked in and those asked for (not every district of the country)."""
    query = select(District, Team.name).join(Team, Team.id == District.team_id)
    if scope.team_ids is not None:
        query = query.where(or_(District.team_id.in_(scope.team_ids),
                                District.id.in_(walked_in | scope.district_ids)))
    return [(district, team) for district, team in session.execute(query.order_by(District.name))]


def _breakdowns(
    scope: ReportScope, cells: dict[Cell, Figures], people: dict[tuple[str, str], int],
    teams: list[Team], districts: list[tuple[District, str]],
) -> tuple[list[Row], list[Row], list[Row], Figures]:
    """Sum the cells into the team, district and month tables and the total."""
    by_team: dict[int, Figures] = defaultdict(Figures)
    by_district: dict[int, Figures] = defaultdict(Figures)
    by_month: dict[str, Figures] = defaultdict(Figures)
    total = Figures()
    for (team_id, district_id, month), figures in cells.items():
        for group in (by_team[team_id], by_district[district_id], by_month[month], total):
            group.add(figures)
    total.polare = people.get(("total", ""), 0)
    team_rows = [
        _row(team.id, team.name, by_team, people, "team")
        for team in teams
        if scope.has_team(team.id) and (team.active or team.id in by_team)
    ]
    district_rows = [
        _row(d.id, d.name, by_district, people, "district", team)
        for d, team in sorted(districts, key=lambda pair: (pair[1], not pair[0].is_home,
                                                           pair[0].name))
        if scope.has_district(d.id) and (scope.has_team(d.team_id) or d.id in by_district)
    ]
    month_rows = [
        _row(month, month, by_month, people, "month")
        for month in months_between(scope.date_from, scope.date_to)
    ]
    return team_rows, district_rows, month_rows, total


def _row(
    key: int | str, label: str, groups: dict, people: dict[tuple[str, str], int],
    dimension: str, detail: str = "",
) -> Row:
    """Return a table row with its group's figures and distinct polare."""
    figures = groups.get(key) or Figures()
    figures.polare = people.get((dimension, str(key)), 0)
    return Row(key, label, figures, detail)


def _sum_events(counts: Iterable[EventCounts]) -> EventCounts:
    total = EventCounts()
    for count in counts:
        total.add(count)
    return total


def _events_by_type(types: list, events: dict[tuple[int, str], EventCounts]) -> list:
    """Return (type name, counts) for every active type and every type with events."""
    rows = []
    for event_type in types:
        counts = _sum_events(c for (t, _m), c in events.items() if t == event_type.id)
        if event_type.active or counts.held:
            rows.append((event_type.label, counts))
    return rows


def _events_by_month(
    scope: ReportScope, events: dict[tuple[int, str], EventCounts]
) -> dict[str, EventCounts]:
    """Return the event counts of every month of the range."""
    return {
        month: _sum_events(c for (_t, m), c in events.items() if m == month)
        for month in months_between(scope.date_from, scope.date_to)
    }


def _school_year_of(month: str, years: list[tuple[SchoolYear, Decimal | None]]):
    """Return the school year (and budget) a month's first day belongs to, if any."""
    first = date.fromisoformat(f"{month}-01")
    for year, budget in years:
        if year.starts_on <= first <= year.ends_on:
            return year, budget
    return None, None


def _cost_by_month(
    month_rows: list[Row], years: list[tuple[SchoolYear, Decimal | None]]
) -> tuple[list[CostMonth], list[BudgetRow]]:
    """Return each month's cost with its school year's running stipends and budget."""
    running: dict[int, Decimal] = defaultdict(lambda: ZERO)
    months = []
    for row in month_rows:
        year, budget = _school_year_of(str(row.key), years)
        key = year.id if year is not None else 0
        running[key] += row.figures.cost.stipends
        months.append(CostMonth(str(row.key), row.figures.cost, running[key], budget))
    budgets = [BudgetRow(year.label, budget, running[year.id]) for year, budget in years]
    return months, budgets


def _notes(scope: ReportScope, costs: CostBreakdown, with_cost: bool) -> list[str]:
    """Return what the reader should know about the figures."""
    notes = []
    if scope.district_ids:
        notes.append(_("Aktiviteter och rekrytering gäller hela teamen: urvalet av stadsdelar "
                       "påverkar bara nattvandringarna och arvodena."))
    if with_cost:
        notes.extend(costs.notes)
    return notes
