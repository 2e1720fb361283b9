"""Assemble a follow-up report: every figure of a scope, broken down by team, district, month."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

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
    years_of,
)
from polare.reports.periods import month_key, months_between
from polare.reports.scope import ReportScope
from polare.walks.models import Walk


class TeamRow(NamedTuple):
    """A team a report may show."""

    id: int
    name: str
    active: bool


class DistrictRow(NamedTuple):
    """A district a report may show, with the name of the team whose area it lies in."""

    id: int
    name: str
    team_id: int
    is_home: bool
    team: str


@dataclass(frozen=True)
class Places:
    """The teams (by name) and districts (by team, home district first, then by name) a
    report may show: read once for the filter form and passed on to the report."""

    teams: list[TeamRow]
    districts: list[DistrictRow]


def filter_places(
    session: Session, allowed: Sequence[Any] | None, asked_teams: Collection[int],
    asked_districts: Collection[int],
) -> Places:
    """Return the teams and districts a user may pick: `allowed` teams (rows with an id, name
    and active; None: every team) with their districts and those they have walked in (a team
    may walk outside its own area), not every district of the country. With every team
    allowed, the districts are those of the teams and the districts asked for."""
    if allowed is not None:
        teams = [TeamRow(team.id, team.name, team.active) for team in allowed]
        ids: Collection[int] = [team.id for team in teams]
        return Places(teams, _district_rows(session, ids, ()))
    teams = [TeamRow(*row) for row in session.execute(
        select(Team.id, Team.name, Team.active).order_by(Team.name, Team.id))]
    if not asked_teams and not asked_districts:
        return Places(teams, [])
    return Places(teams, _district_rows(session, asked_teams, asked_districts))


def scope_places(session: Session, scope: ReportScope) -> Places:
    """Return the teams and districts a report of the scope may show, read for it alone."""
    teams = [TeamRow(*row) for row in session.execute(
        select(Team.id, Team.name, Team.active).where(scope.teams(Team.id))
        .order_by(Team.name, Team.id))]
    if scope.team_ids is None:
        return Places(teams, _district_rows(session, None, ()))
    return Places(teams, _district_rows(session, scope.team_ids, scope.district_ids))


def _district_rows(session: Session, team_ids: Collection[int] | None,
                   district_ids: Collection[int]) -> list[DistrictRow]:
    """Return the districts of the teams, those they walked in and those asked for (team_ids
    None: every district), in display order."""
    query = (select(District.id, District.name, District.team_id, District.is_home, Team.name)
             .join(Team, Team.id == District.team_id)
             .order_by(Team.name, District.is_home.desc(), District.name))
    if team_ids is not None:
        walked_in = select(Walk.district_id).where(Walk.team_id.in_(team_ids))
        query = query.where(or_(District.team_id.in_(team_ids), District.id.in_(walked_in),
                                District.id.in_(district_ids)))
    return [DistrictRow(*row) for row in session.execute(query)]


def compute_report(
    session: Session, scope: ReportScope, *, today: date, with_cost: bool = True,
    places: Places | None = None,
    years: Sequence[tuple[SchoolYear, Decimal | None]] | None = None,
) -> Report:
    """Compute every figure of the scope from the source rows; the number of queries does not
    depend on the data. `places` (covering the scope) and `years` (every school year with its
    budget) are what the page has read already."""
    if places is None:
        places = scope_places(session, scope)
    elif scope.team_ids is None and not scope.district_ids:
        # A report of every team lists every district, which the filter form does not offer.
        places = Places(places.teams, _district_rows(session, None, ()))
    cells = walk_cells(session, scope)
    costs = stipend_costs(session, scope, today) if with_cost else CostBreakdown()
    for key, cost in costs.cells.items():
        cells.setdefault(key, Figures()).cost = cost
    return assemble_report(
        session, scope, today=today, with_cost=with_cost, places=places,
        years=years_of(years, scope) if years is not None
        else school_years_with_budgets(session, scope),
        cells=cells, people=distinct_polare(session, scope),
        incidents=incident_counts(session, scope),
        notes=_notes(scope, costs.notes if with_cost else []))


def assemble_report(
    session: Session, scope: ReportScope, *, today: date, with_cost: bool, places: Places,
    years: list[tuple[SchoolYear, Decimal | None]], cells: dict[Cell, Figures],
    people: dict[tuple[str, str], int], incidents: list[IncidentRow], notes: list[str],
) -> Report:
    """Sum the cells of a scope into its tables and add its events and recruits (read from
    the source: they are few for some teams, and not split by district)."""
    teams = [team for team in places.teams if scope.has_team(team.id)]
    team_rows, district_rows, month_rows, total = _breakdowns(
        scope, cells, people, teams, places.districts)
    types, events = event_counts(session, scope)
    shown_teams = [team for team in teams if team.active]
    report = Report(
        scope=scope,
        total=total,
        by_team=team_rows,
        by_district=district_rows,
        by_month=month_rows,
        incident_teams=[(team.id, team.name) for team in shown_teams],
        incidents=incidents,
        events_by_type=_events_by_type(types, events),
        events_by_month=_events_by_month(scope, events),
        events_total=_sum_events(events.values()),
        recruits=recruit_rows(session, scope, shown_teams, [year for year, _b in years], today),
        budgets=[],
        cost_months=[],
        with_cost=with_cost,
        team_names=[team.name for team in teams if scope.team_ids is not None],
        district_names=[d.name for d in places.districts if d.id in scope.district_ids],
        notes=notes,
    )
    if with_cost:
        report.cost_months, report.budgets = _cost_by_month(month_rows, years)
    if scope.date_from <= today <= scope.date_to:
        report.running_month = month_key(today)
    return report


def _breakdowns(
    scope: ReportScope, cells: dict[Cell, Figures], people: dict[tuple[str, str], int],
    teams: list[TeamRow], districts: list[DistrictRow],
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
        _row(d.id, d.name, by_district, people, "district", d.team)
        for d in sorted(districts, key=lambda d: (d.team, not d.is_home, d.name))
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


def _notes(scope: ReportScope, cost_notes: list[str]) -> list[str]:
    """Return what the reader should know about the figures."""
    notes = []
    if scope.district_ids:
        notes.append(_("Aktiviteter och rekrytering gäller hela teamen: urvalet av stadsdelar "
                       "påverkar bara nattvandringarna och arvodena."))
    return notes + cost_notes
