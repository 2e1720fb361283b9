"""The tables of a report, shared by the page and the workbook so both show the same numbers.

A cell's type says how it is shown: `int` as a count, `Hours` as h:mm on the page (two
decimals in the workbook), `Money` as kronor, `Percent` with one decimal, `date` in ISO form,
`str` as text and None as a dash.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _

from polare.reports.figures import Figures, Report


class Money(Decimal):
    """An amount in kronor."""


class Hours(Decimal):
    """A number of hours."""


class Percent(Decimal):
    """A percentage."""


@dataclass(frozen=True)
class Table:
    """A titled table: `key` names it on the page, `sheet` in the workbook."""

    key: str
    title: str
    sheet: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]
    total: Sequence[Any] | None = None


def _walk_headers(with_cost: bool) -> list[str]:
    headers = [_("Nattvandringar"), _("Timmar"), _("Polarpass"), _("Unika polare"),
               _("Träffade ungdomar"), _("Samtal")]
    if with_cost:
        headers += [_("Arvoden"), _("Arbetsgivarkostnad (uppskattning)")]
    return headers


def _walk_cells(figures: Figures, with_cost: bool) -> list[Any]:
    cells: list[Any] = [figures.walks, Hours(figures.hours), figures.polarpass, figures.polare,
                        figures.met, figures.talked]
    if with_cost:
        cells += [Money(figures.cost.stipends), Money(figures.cost.employer_cost)]
    return cells


def _team_text(report: Report) -> str:
    """Name the report's teams: all teams, the chosen ones, or none at all."""
    if report.scope.team_ids is None:
        return _("Alla team")
    return ", ".join(report.team_names) or _("Inga team")


def summary_rows(report: Report) -> list[tuple[str, Any]]:
    """Return the (measure, value) rows of the summary, selection first."""
    total = report.total
    rows: list[tuple[str, Any]] = [
        (_("Från"), report.scope.date_from),
        (_("Till"), report.scope.date_to),
        (_("Team"), _team_text(report)),
        (_("Stadsdelar"), ", ".join(report.district_names) or _("Alla stadsdelar")),
        (_("Nattvandringar"), total.walks),
        (_("Timmar"), Hours(total.hours)),
        (_("Polarpass"), total.polarpass),
        (_("Unika polare"), total.polare),
        (_("Träffade ungdomar"), total.met),
        (_("Samtal"), total.talked),
        (_("Händelser"), report.incidents_total),
        (_("Genomförda aktiviteter"), report.events_total.held),
        (_("Inbjudningar till aktiviteter"), report.events_total.invited),
        (_("Närvaro på aktiviteter"), report.events_total.attended),
        (_("Rekryterade polare"), report.recruited_total),
        (_("Aktiva polare"), report.active_total),
        (_("Tak för aktiva polare"), report.cap_total),
    ]
    if report.with_cost:
        cost = total.cost
        rows += [
            (_("Arvoden"), Money(cost.stipends)),
            (_("Arbetsgivaravgifter (uppskattning)"), Money(cost.contributions)),
            (_("Arbetsgivarkostnad (uppskattning)"), Money(cost.employer_cost)),
        ]
    return rows


def report_tables(report: Report) -> list[Table]:
    """Return every table of the report in page order; the first is the summary."""
    cost = report.with_cost
    walk_headers = _walk_headers(cost)
    total_cells = _walk_cells(report.total, cost)
    tables = [
        Table("summary", _("Sammanfattning"), "Sammanfattning", [_("Mått"), _("Värde")],
              [list(row) for row in summary_rows(report)]),
        Table("teams", _("Per team"), _("Per team"), [_("Team"), *walk_headers],
              [[row.label, *_walk_cells(row.figures, cost)] for row in report.by_team],
              [_("Totalt"), *total_cells]),
        Table("districts", _("Per stadsdel"), _("Per stadsdel"),
              [_("Stadsdel"), _("Teamets område"), *walk_headers],
              [[row.label, row.detail, *_walk_cells(row.figures, cost)]
               for row in report.by_district],
              [_("Totalt"), "", *total_cells]),
        Table("months", _("Per månad"), _("Per månad"),
              [_("Månad"), *_walk_headers(False), _("Aktiviteter"),
               _("Närvaro på aktiviteter")],
              [[row.label, *_walk_cells(row.figures, False),
                report.events_by_month[str(row.key)].held,
                report.events_by_month[str(row.key)].attended] for row in report.by_month],
              [_("Totalt"), *_walk_cells(report.total, False), report.events_total.held,
               report.events_total.attended]),
        _incident_table(report),
        Table("events", _("Aktiviteter per typ"), _("Aktiviteter"),
              [_("Typ"), _("Genomförda"), _("Inbjudna"), _("Närvarande")],
              [[name, c.held, c.invited, c.attended] for name, c in report.events_by_type],
              [_("Totalt"), report.events_total.held, report.events_total.invited,
               report.events_total.attended]),
        Table("recruits", _("Rekrytering mot tak"), _("Rekrytering"),
              [_("Team"), _("Läsår"), _("Rekryterade"), _("Aktiva"), _("Tak"),
               _("Aktiva räknat den")],
              [[r.team, r.school_year, r.recruited, r.active, r.cap, r.on]
               for r in report.recruits],
              [_("Totalt"), "", report.recruited_total, report.active_total,
               report.cap_total, None]),
    ]
    if cost:
        tables += _cost_tables(report)
    return tables


def _incident_table(report: Report) -> Table:
    teams = report.incident_teams
    return Table(
        "incidents", _("Händelser per kategori"), _("Händelser"),
        [_("Kategori"), _("Totalt"), *(name for _id, name in teams)],
        [[row.category, row.total, *(row.per_team.get(team_id, 0) for team_id, _n in teams)]
         for row in report.incidents],
        [_("Totalt"), report.incidents_total,
         *(sum(row.per_team.get(team_id, 0) for row in report.incidents)
           for team_id, _n in teams)],
    )


def _cost_tables(report: Report) -> list[Table]:
    months = report.cost_months
    total = report.total.cost
    return [
        Table("cost", _("Kostnad per månad"), _("Kostnad per månad"),
              [_("Månad"), _("Arvoden"), _("Arbetsgivaravgifter (uppskattning)"),
               _("Arbetsgivarkostnad (uppskattning)"), _("Arvoden hittills under läsåret"),
               _("Läsårets budget")],
              [[m.month, Money(m.cost.stipends), Money(m.cost.contributions),
                Money(m.cost.employer_cost), Money(m.cumulative_stipends),
                Money(m.budget) if m.budget is not None else None] for m in months],
              [_("Totalt"), Money(total.stipends), Money(total.contributions),
               Money(total.employer_cost), None, None]),
        Table("budget", _("Budget per läsår"), _("Budget"),
              [_("Läsår"), _("Budget"), _("Arvoden i urvalet"), _("Andel av budget (%)")],
              [[b.school_year, Money(b.budget) if b.budget is not None else None,
                Money(b.stipends),
                Percent(b.share_percent) if b.share_percent is not None else None]
               for b in report.budgets]),
    ]


def cell_text(value: Any) -> str:
    """Return a cell as the page shows it (Swedish number style)."""
    from polare.formatting import sek

    if value is None:
        return "–"
    if isinstance(value, Money):
        return sek(value)
    if isinstance(value, Hours):
        hours, minutes = divmod(int((value * 60).to_integral_value()), 60)
        return f"{hours:,}:{minutes:02d}".replace(",", "\u00a0")
    if isinstance(value, Percent):
        return f"{value:,}".replace(",", "\u00a0").replace(".", ",")
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u00a0")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def is_number(value: Any) -> bool:
    """Tell whether a cell is right-aligned as a number."""
    return isinstance(value, int | Decimal)
