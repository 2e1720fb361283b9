"""The whole country's report from the follow-up aggregates: by month, and by team a page at a time.

Used when a report covers every team and district over whole months (administrators and the
payroll office). Its figures are those of `compute_report` (a test compares them after random
changes); only the team table is cut into pages, and the districts are left to a team's own
report, which the team's row links to.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, case, func, literal, null, select, true, union_all
from sqlalchemy.orm import Session

import payroll
from polare.org.models import SchoolYear, Team
from polare.pay.services.facts import PayCalendar, pay_calendar
from polare.reports.aggregates import country_event_counts, country_polare
from polare.reports.costs import Cost, CostBreakdown, _cost_notes, preview_months
from polare.reports.figures import (
    Figures,
    IncidentRow,
    Report,
    Row,
    event_counts,
    incident_rows,
    people_per_group,
    recruit_rows,
    recruit_totals,
    school_years_with_budgets,
    years_of,
)
from polare.reports.models import (
    FollowUpCell,
    FollowUpIncident,
    FollowUpMonth,
    FollowUpMonthIncident,
    FollowUpTeam,
    FollowUpWalker,
)
from polare.reports.periods import month_key, month_span, months_between
from polare.reports.report import (
    Places,
    _cost_by_month,
    _events_by_month,
    _events_by_type,
    _sum_events,
    scope_places,
)
from polare.reports.scope import ReportScope

#: Teams per page of the country report's team table.
TEAMS_PER_PAGE = 50


#: The figures of a country month row, in the order `_figures` reads them.
_MONTH_FIGURES = (FollowUpMonth.walks, FollowUpMonth.seconds, FollowUpMonth.polarpass,
                  FollowUpMonth.met, FollowUpMonth.talked, FollowUpMonth.stipends,
                  FollowUpMonth.contributions)


def _sums(source: Any = FollowUpCell):
    """The report's figures summed over cells, or over the country's months."""
    return tuple(func.coalesce(func.sum(getattr(source, name)), 0) for name in (
        "walks", "seconds", "polarpass", "met", "talked", "stipends", "contributions"))


def _span_sums(source: Any, names: tuple[str, ...], spans: tuple[tuple[str, str], ...],
               *where: Any) -> Select:
    """Return one row: each name summed over each span of months (span by span), in one scan
    of the rows from the first span's start to the last span's end (an index range)."""
    return select(*(
        func.coalesce(func.sum(case((source.month.between(*span), getattr(source, name)),
                                    else_=0)), 0)
        for span in spans for name in names
    )).where(*where, source.month.between(min(first for first, _last in spans),
                                          max(last for _first, last in spans)))


def _country_sums(session: Session, names: tuple[str, ...],
                  spans: tuple[tuple[str, str], ...]) -> list[dict[str, Any]]:
    """Sum the country's rows of each span of months, less the cells of the teams no longer
    active (few), as the start page counts active teams only; in one statement."""
    country = _span_sums(FollowUpMonth, names, spans).subquery()
    retired = _span_sums(FollowUpCell, names, spans, FollowUpCell.team_id.in_(
        select(Team.id).where(Team.active.is_(False)))).subquery()
    # Two one-row subqueries side by side: one row, the country's sums then the retired.
    row = session.execute(select(country, retired)
                          .select_from(country.join(retired, true()))).one()
    width = len(names) * len(spans)
    values = [total - gone for total, gone in zip(row[:width], row[width:], strict=True)]
    return [dict(zip(names, values[start:start + len(names)], strict=True))
            for start in range(0, width, len(names))]


def _figures(row) -> Figures:
    walks, seconds, polarpass, met, talked, stipends, contributions = row
    return Figures(walks=int(walks), seconds=int(seconds), polarpass=int(polarpass),
                   met=int(met), talked=int(talked),
                   cost=Cost(Decimal(stipends).quantize(Decimal("0.01")),
                             Decimal(contributions).quantize(Decimal("0.01"))))


def compute_country_report(
    session: Session, scope: ReportScope, *, today: date, with_cost: bool = True,
    page: int | None = 1, places: Places | None = None,
    years: Sequence[tuple[SchoolYear, Decimal | None]] | None = None,
    calendar: PayCalendar | None = None,
) -> tuple[Report, int]:
    """Return the country's report with one page of the team table (None: every team), and
    the number of pages. The aggregates must be current (`refresh_teams`); `places`, `years`
    (every school year with its budget) and `calendar` are what the page has read already."""
    months = (month_key(scope.date_from), month_key(scope.date_to))
    in_range = FollowUpCell.month.between(*months)
    all_teams = (places or scope_places(session, scope)).teams
    shown_cell = FollowUpCell.walks > 0
    if with_cost:
        shown_cell = shown_cell | FollowUpCell.costed
    walked = set(session.scalars(select(FollowUpCell.team_id).distinct().where(
        in_range, shown_cell)))
    listed = [(team.id, team.name) for team in all_teams if team.active or team.id in walked]
    pages = max(1, -(-len(listed) // TEAMS_PER_PAGE))
    if page is None:
        shown = listed
    else:
        page = min(max(page, 1), pages)
        shown = listed[(page - 1) * TEAMS_PER_PAGE:page * TEAMS_PER_PAGE]
    shown_ids = [team_id for team_id, _name in shown]
    walker = FollowUpWalker.__table__
    people = people_per_group(session, walker, ("team",), walker.c.month.between(*months),
                              team_ids=shown_ids)
    total, month_rows = _month_rows(session, scope, months)
    report = Report(
        scope=scope, total=total, by_team=_team_rows(session, shown, in_range, people),
        by_district=[], by_month=month_rows,
        incident_teams=shown, incidents=_incidents(session, months, shown_ids),
        events_by_type=[], events_by_month={}, events_total=_sum_events(()),
        recruits=[], budgets=[], cost_months=[], with_cost=with_cost,
        team_names=[], district_names=[])
    types, events = (country_event_counts(session, months_between(scope.date_from,
                                                                  scope.date_to))
                     or event_counts(session, scope))
    report.events_by_type = _events_by_type(types, events)
    report.events_by_month = _events_by_month(scope, events)
    report.events_total = _sum_events(events.values())
    years = years_of(years, scope) if years is not None \
        else school_years_with_budgets(session, scope)
    school_years = [year for year, _budget in years]
    on_page = set(shown_ids)
    report.recruits = recruit_rows(
        session, scope, [team for team in all_teams if team.active and team.id in on_page],
        school_years, today)
    report.recruit_totals = recruit_totals(session, scope, school_years, today)
    if with_cost:
        report.cost_months, report.budgets = _cost_by_month(month_rows, years)
        latest_closed = (calendar or pay_calendar(session)).latest_closed
        previewed = preview_months(scope, latest_closed, today)
        report.notes = _cost_notes(_cost_state(session, scope, latest_closed, previewed),
                                   _errors(session, previewed))
    if scope.date_from <= today <= scope.date_to:
        report.running_month = month_key(today)
    return report, pages


def _month_rows(session: Session, scope: ReportScope,
                months: tuple[str, str]) -> tuple[Figures, list[Row]]:
    """Return the total and every month's row of the range, from the country's month rows
    (the distinct polare of the whole range counted once per change, `country_polare`)."""
    by_month, revisions = {}, []
    for month, polare, revision, *rest in session.execute(
            select(FollowUpMonth.month, FollowUpMonth.polare, FollowUpMonth.revision,
                   *_MONTH_FIGURES)
            .where(FollowUpMonth.month.between(*months)).order_by(FollowUpMonth.month)):
        by_month[month] = _figures(rest)
        by_month[month].polare = polare
        revisions.append(f"{month}:{revision}")
    total = Figures()
    rows = []
    for month in months_between(scope.date_from, scope.date_to):
        figures = by_month.get(month) or Figures()
        total.add(figures)
        rows.append(Row(month, month, figures))
    total.polare = country_polare(session, months, " ".join(revisions))
    return total, rows


def _team_rows(session: Session, shown: list[tuple[int, str]], in_range: Any,
               people: dict[tuple[str, str], int]) -> list[Row]:
    """Return the figures of the page's teams over the range."""
    ids = [team_id for team_id, _name in shown]
    figures = {team_id: _figures(rest) for team_id, *rest in session.execute(
        select(FollowUpCell.team_id, *_sums())
        .where(in_range, FollowUpCell.team_id.in_(ids)).group_by(FollowUpCell.team_id))}
    rows = []
    for team_id, name in shown:
        team_figures = figures.get(team_id) or Figures()
        team_figures.polare = people.get(("team", str(team_id)), 0)
        rows.append(Row(team_id, name, team_figures))
    return rows


def _incidents(session: Session, months: tuple[str, str],
               shown_ids: list[int]) -> list[IncidentRow]:
    """Return the incidents per category in all (from the country's months), and per team of
    the page (one statement)."""
    country, incident = FollowUpMonthIncident, FollowUpIncident
    counts = union_all(
        select(country.category_id.label("category_id"), null().label("team_id"),
               func.sum(country.count).label("count"))
        .where(country.month.between(*months)).group_by(country.category_id),
        select(incident.category_id, incident.team_id, func.sum(incident.count))
        .where(incident.month.between(*months), incident.team_id.in_(shown_ids))
        .group_by(incident.category_id, incident.team_id),
    ).subquery()
    return incident_rows(session, counts)


def _cost_state(session: Session, scope: ReportScope, latest_closed: str | None,
                preview: list[str], team_ids: frozenset[int] | None = None) -> CostBreakdown:
    """Return what the cost notes need: previewed months, example rates, unpriced stipends.

    One statement: a row per kind of value (the first month priced with an example rate, the
    previewed months, the unpriced ages and days), distinct values, not every row: at
    national scale most cells carry a flag.
    """
    earliest = payroll.earliest_open(latest_closed)
    result = CostBreakdown()
    months = (month_key(scope.date_from), month_key(scope.date_to))
    previewed = {m for m in preview if months[0] <= m <= months[1]}
    # The country's rows of the months when every team counts, else the teams' cells.
    cell: Any = FollowUpMonth if team_ids is None else FollowUpCell
    in_range = cell.month.between(*months)
    if team_ids is not None:
        in_range = in_range & cell.team_id.in_(team_ids)
    rows = session.execute(union_all(
        select(literal("examples"), func.min(cell.month))
        .where(in_range, cell.examples_used.is_(True)),
        select(literal("previewed"), cell.month).distinct()
        .where(in_range, cell.previewed.is_(True)),
        select(literal("unpriced"), cell.unpriced).distinct()
        .where(in_range, cell.unpriced != ""),
    ))
    for kind, value in rows:
        if kind == "examples":
            result.examples_used = value is not None
        elif kind == "previewed":
            previewed.add(value if latest_closed is None or value > latest_closed
                          else str(earliest))
        else:
            for item in value.split():
                age, day = item.split(":")
                result.unpriced.add((int(age), date.fromisoformat(day)))
    result.preview_months = sorted(previewed)
    return result


def _error_texts(session: Session, team_ids: frozenset[int] | None = None) -> list[str]:
    """Return the distinct error texts of the teams' previews (None: every team's)."""
    teams = true() if team_ids is None else FollowUpTeam.team_id.in_(team_ids)
    return list(session.scalars(select(FollowUpTeam.preview_errors).distinct()
                                .where(teams, FollowUpTeam.preview_errors != "")))


def _errors_in(texts: list[str], months: list[str]) -> list[str]:
    """Return the distinct errors of the error texts that are of the months, in order."""
    return sorted({error for text in texts for error in text.split("\n")
                   if error[:7] in months})


def _errors(session: Session, months: list[str],
            team_ids: frozenset[int] | None = None) -> list[str]:
    """Return the distinct errors of the previews of the months (of the teams), in order."""
    return _errors_in(_error_texts(session, team_ids), months)


def _whole_months(first: date, last: date) -> bool:
    """Tell whether a date range starts on a month's first day and ends on a month's last."""
    return first.day == 1 and last == month_span(last.year, last.month)[1]


def country_walk_figures(
    session: Session, month: str, year: tuple[date, date] | None,
    team_ids: frozenset[int] | None = None,
) -> tuple[dict[str, int], dict[str, int] | None, dict[int, int]] | None:
    """Return the start page's walk figures from the aggregates, of the teams (None: every
    active team): this month's and the school year's (done, planned, met, talked), and walks
    awaiting approval per team.

    None when the school year does not span whole months (the source is read instead).
    """
    found = walk_figures(session, month, year, team_ids)
    if found is None:
        return None
    teams = FollowUpTeam.team_id.in_(select(Team.id).where(Team.active.is_(True))
                                     if team_ids is None else team_ids)
    awaiting = dict(session.execute(
        select(FollowUpTeam.team_id, FollowUpTeam.awaiting)
        .where(teams, FollowUpTeam.awaiting > 0)).all())
    return *found, awaiting


def walk_figures(
    session: Session, month: str, year: tuple[date, date] | None,
    team_ids: frozenset[int] | None = None,
) -> tuple[dict[str, int], dict[str, int] | None] | None:
    """Return this month's and the school year's walk figures (done, planned, met, talked) of
    the teams (None: every active team) from the aggregates, in one statement; None when the
    school year does not span whole months."""
    if year is not None and not _whole_months(*year):
        return None
    names = ("walks", "planned", "met", "talked")
    spans = ((month, month),) if year is None else (
        (month, month), (month_key(year[0]), month_key(year[1])))
    if team_ids is None:
        sums = _country_sums(session, names, spans)
    else:
        row = session.execute(_span_sums(FollowUpCell, names, spans,
                                         FollowUpCell.team_id.in_(team_ids))).one()
        sums = [dict(zip(names, row[start:start + len(names)], strict=True))
                for start in range(0, len(row), len(names))]
    figures = [{"done": int(found["walks"]), "planned": int(found["planned"]),
                "met": int(found["met"]), "talked": int(found["talked"])} for found in sums]
    return figures[0], (figures[1] if year is not None else None)


def country_cost(
    session: Session, first: date, today: date, team_ids: frozenset[int] | None = None,
    calendar: PayCalendar | None = None,
) -> tuple[Decimal, str, Decimal, list[str]] | None:
    """Return the stipends from `first` to today, the open period, its preliminary total and
    the notes from the aggregates, of the teams (None: every team).

    None when `first` is not a month's first, or when some of the teams' previews had errors
    (they are kept for all the teams rebuilt together, so only the whole country's are shown).
    `calendar`: the pay calendar, when the caller has read it already.
    """
    if first.day != 1:
        return None
    error_texts = _error_texts(session, team_ids)
    if team_ids is not None and error_texts:
        return None
    teams = true() if team_ids is None else FollowUpTeam.team_id.in_(team_ids)
    scope = ReportScope(first, month_span(today.year, today.month)[1], team_ids)
    months = (month_key(first), month_key(today))
    cell: Any = FollowUpMonth if team_ids is None else FollowUpCell
    in_months = cell.month.between(*months)
    if team_ids is not None:
        in_months = in_months & cell.team_id.in_(team_ids)
    latest_closed, first_period = calendar if calendar is not None else pay_calendar(session)
    open_period = payroll.open_period_shown(latest_closed, first_period, month_key(today))
    stipends, open_total = session.execute(select(
        select(func.coalesce(func.sum(cell.stipends), 0)).where(in_months).scalar_subquery(),
        select(func.coalesce(func.sum(FollowUpTeam.open_stipends), 0))
        .where(teams, FollowUpTeam.open_period == open_period).scalar_subquery(),
    )).one()
    previewed = preview_months(ReportScope(first, today), latest_closed, today)
    notes = _cost_notes(_cost_state(session, scope, latest_closed, previewed, team_ids),
                        _errors_in(error_texts, previewed))
    money = Decimal("0.01")
    return (Decimal(stipends).quantize(money), open_period, Decimal(open_total).quantize(money),
            notes)
