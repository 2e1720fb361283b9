"""Stipend cost of a report: frozen pay lines, previews of open months, employer contributions.

Closed months are read from their frozen lines in one aggregate query. Open months have no
stored lines: their cost is the payroll preview, the same lines the pay period would freeze.
The employer cost estimate adds an employer contribution to every stipend at the rate admin
keeps for the person's age on 1 January of the walk's year and the walk's date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import payroll
from payroll.ages import age_on
from payroll.money import to_money
from polare.pay.models import PayLine
from polare.pay.services import PeriodPreview, preview_period
from polare.pay.services.facts import latest_closed_month
from polare.reports.models import EmployerContributionRate
from polare.reports.periods import month_key, months_between
from polare.reports.scope import ReportScope
from polare.reports.sql import age_on_first_january
from polare.roster.models import Person
from polare.walks.models import Walk

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class CostItem:
    """Stipends of one team, district, walk date and age on 1 January."""

    team_id: int
    district_id: int
    walk_date: date
    age: int
    amount: Decimal


@dataclass
class Cost:
    """Stipends and the estimated employer contributions on them."""

    stipends: Decimal = ZERO
    contributions: Decimal = ZERO

    @property
    def employer_cost(self) -> Decimal:
        """Return stipends plus employer contributions."""
        return self.stipends + self.contributions

    def add(self, other: Cost) -> None:
        """Add another cost to this one."""
        self.stipends += other.stipends
        self.contributions += other.contributions


@dataclass
class CostBreakdown:
    """Cost per (team, district, month), and what the estimate could not price."""

    cells: dict[tuple[int, int, str], Cost] = field(default_factory=dict)
    #: (age on 1 January, walk date) of stipends no contribution rate covers.
    unpriced: set[tuple[int, date]] = field(default_factory=set)
    #: Open months whose preliminary stipends are included.
    preview_months: list[str] = field(default_factory=list)
    #: True when an example rate (not checked by admin) priced any stipend.
    examples_used: bool = False
    #: Sentences about what the figures leave out, for the page.
    notes: list[str] = field(default_factory=list)


def rate_for(
    rates: Sequence[EmployerContributionRate], day: date, age: int
) -> EmployerContributionRate | None:
    """Return the contribution rate for an age on a day: the latest started one covering both."""
    matching = [
        rate for rate in rates
        if rate.valid_from <= day and (rate.valid_to is None or day <= rate.valid_to)
        and rate.age_from <= age and (rate.age_to is None or age <= rate.age_to)
    ]
    return max(matching, key=lambda rate: (rate.valid_from, rate.id), default=None)


def contribution_rates(session: Session) -> list[EmployerContributionRate]:
    """Return every employer contribution rate, oldest first."""
    return list(session.scalars(
        select(EmployerContributionRate).order_by(
            EmployerContributionRate.valid_from, EmployerContributionRate.age_from,
            EmployerContributionRate.id)
    ))


def frozen_items(session: Session, scope: ReportScope) -> list[CostItem]:
    """Return the frozen pay lines of walks in the scope, summed per team, district, date, age."""
    age = age_on_first_january(Person.birth_date, PayLine.walk_date).label("age")
    keys = (Walk.team_id, Walk.district_id, PayLine.walk_date, age)
    rows = session.execute(
        # PayLine.amount is exact on every database (ExactDecimal), so its SQL sum is too.
        select(*keys, func.sum(PayLine.amount))
        .join(Walk, Walk.id == PayLine.walk_id)
        .join(Person, Person.id == PayLine.person_id)
        .where(scope.dates(PayLine.walk_date), scope.teams(Walk.team_id),
               scope.districts(Walk.district_id))
        .group_by(*keys)
    )
    return [
        CostItem(team_id, district_id, walk_date, int(age), to_money(total))
        for team_id, district_id, walk_date, age, total in rows
    ]


def breakdown(
    items: Iterable[CostItem], rates: Sequence[EmployerContributionRate]
) -> CostBreakdown:
    """Price the items and sum them per (team, district, month), each cell rounded to öre."""
    exact: dict[tuple[int, int, str], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    result = CostBreakdown()
    for item in items:
        cell = exact[(item.team_id, item.district_id, month_key(item.walk_date))]
        cell[0] += item.amount
        rate = rate_for(rates, item.walk_date, item.age)
        if rate is None:
            result.unpriced.add((item.age, item.walk_date))
        else:
            cell[1] += item.amount * rate.rate_percent / HUNDRED
            result.examples_used = result.examples_used or rate.is_example
    result.cells = {
        key: Cost(to_money(stipends), to_money(contributions))
        for key, (stipends, contributions) in exact.items()
    }
    return result


def age_on_new_year(birth_date: date, day: date) -> int:
    """Return the age on 1 January of the day's year (0 for someone born later that year)."""
    new_year = date(day.year, 1, 1)
    return age_on(birth_date, new_year) if birth_date <= new_year else 0


def preview_months(scope: ReportScope, latest_closed: str | None, today: date) -> list[str]:
    """Return the open months whose preview holds stipends of walks in the scope.

    That is every open month of the range up to the current one (later walks cannot be
    approved yet), and the earliest open month when the range reaches into closed months,
    since late entries and corrections of closed months are paid there.
    """
    last = min(month_key(scope.date_to), month_key(today))
    months = [m for m in months_between(scope.date_from, scope.date_to)
              if m <= last and (latest_closed is None or m > latest_closed)]
    earliest = payroll.earliest_open(latest_closed)
    if earliest is not None and month_key(scope.date_from) <= latest_closed \
            and earliest <= month_key(today) and earliest not in months:
        months.append(earliest)
    return sorted(months)


def preview_items(
    session: Session, scope: ReportScope, lines: Sequence[payroll.PayLine]
) -> list[CostItem]:
    """Return the preview lines of walks in the scope as cost items (always two queries)."""
    lines = [line for line in lines if scope.date_from <= line.walk_date <= scope.date_to]
    walks = {
        walk_id: (team_id, district_id) for walk_id, team_id, district_id in session.execute(
            select(Walk.id, Walk.team_id, Walk.district_id)
            .where(Walk.id.in_({line.walk_id for line in lines}))
        )
    }
    births = dict(session.execute(
        select(Person.id, Person.birth_date)
        .where(Person.id.in_({line.person_id for line in lines}))
    ).all())
    items = []
    for line in lines:
        team_id, district_id = walks.get(line.walk_id, (None, None))
        if team_id is not None and scope.has_team(team_id) and scope.has_district(district_id):
            age = age_on_new_year(births[line.person_id], line.walk_date)
            items.append(CostItem(team_id, district_id, line.walk_date, age, line.amount))
    return items


class Previews:
    """The payroll previews of open months, each computed at most once per request.

    With team_ids, only the lines of the persons who walked with those teams are computed, so a
    team's figures cost the same however many teams the service holds.
    """

    def __init__(self, session: Session, team_ids: frozenset[int] | None = None) -> None:
        self.session = session
        self.team_ids = team_ids
        self._latest_closed: list[str | None] = []
        self._previews: dict[str, PeriodPreview] = {}

    @property
    def latest_closed(self) -> str | None:
        """Return the latest closed month (None when nothing is closed)."""
        if not self._latest_closed:
            self._latest_closed.append(latest_closed_month(self.session))
        return self._latest_closed[0]

    def period(self, month: str) -> PeriodPreview:
        """Return the preview of a month."""
        if month not in self._previews:
            self._previews[month] = preview_period(self.session, month, team_ids=self.team_ids)
        return self._previews[month]

    def lines(self, months: Sequence[str]) -> tuple[list[payroll.PayLine], list[str]]:
        """Return the lines of the months and the errors that left lines out."""
        lines: list[payroll.PayLine] = []
        errors: list[str] = []
        for month in months:
            preview = self.period(month)
            lines.extend(detail.line for detail in preview.lines)
            errors.extend(f"{month}: {error}" for error in preview.errors)
        return lines, errors


def stipend_costs(
    session: Session, scope: ReportScope, today: date, previews: Previews | None = None
) -> CostBreakdown:
    """Return the stipend cost of the scope per (team, district, month), with contributions."""
    previews = previews or Previews(session, scope.team_ids)
    rates = contribution_rates(session)
    items = frozen_items(session, scope)
    months = preview_months(scope, previews.latest_closed, today)
    lines, errors = previews.lines(months)
    items += preview_items(session, scope, lines)
    result = breakdown(items, rates)
    result.preview_months = sorted(
        {m for m in months if month_key(scope.date_from) <= m <= month_key(scope.date_to)}
        | {line.period for line in lines if scope.date_from <= line.walk_date <= scope.date_to})
    result.notes = _cost_notes(result, errors)
    return result


def _cost_notes(result: CostBreakdown, errors: Sequence[str]) -> list[str]:
    """Return sentences about the estimate: preliminary months, errors, example rates, gaps."""
    notes = []
    if result.preview_months:
        notes.append(_("Arvodena för öppna perioder (%(months)s) är preliminära: de räknas fram "
                       "ur dagens uppgifter tills perioden stängs.",
                       months=", ".join(result.preview_months)))
    if errors:
        notes.append(_("Förhandsvisningen saknar arvoden som inte kan räknas ut: %(errors)s",
                       errors="; ".join(sorted(set(errors)))))
    if result.examples_used:
        notes.append(_("Arbetsgivaravgifterna bygger på exempelvärden som administratören ska "
                       "kontrollera mot gällande regler."))
    for age in sorted({age for age, _day in result.unpriced}):
        days = sorted(day for a, day in result.unpriced if a == age)
        notes.append(_("Ingen arbetsgivaravgift finns för ålder %(age)s den 1 januari "
                       "(%(first)s – %(last)s): arbetsgivarkostnaden saknar avgift för de "
                       "arvodena.", age=age, first=days[0].isoformat(),
                       last=days[-1].isoformat()))
    return notes
