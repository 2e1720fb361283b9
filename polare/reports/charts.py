"""Charts of a report, drawn on the server by matplotlib as SVG data URIs.

The figures are built with matplotlib's object API (no pyplot, no global state), so requests
on several threads do not share a figure. SVG scales to any screen and renders faster than
PNG; margins are fixed because automatic layout doubles the drawing time. matplotlib is
imported when the first chart is drawn, not with the app: it would add a quarter of a second to
every CLI command and worker start.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _

from payroll.money import format_sek
from polare.reports.figures import Report

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Small enough that matplotlib's 10 pt text stays readable when scaled to a phone's width.
WIDTH_INCHES = 5.2
HEIGHT_INCHES = 3.4
WALK_COLOUR = "#0d6efd"
MET_COLOUR = "#d63384"
TALKED_COLOUR = "#20c997"
COST_COLOUR = "#6f42c1"
BUDGET_COLOUR = "#dc3545"


@dataclass(frozen=True)
class Chart:
    """A rendered chart: its title, its text alternative and the SVG as a data URI."""

    title: str
    alt: str
    src: str


def _svg_uri(figure: Figure) -> str:
    """Return the figure as a base64 SVG data URI."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _figure(height: float = HEIGHT_INCHES, left: float = 0.75, right: float = 0.75) -> Figure:
    """Return an empty figure whose margins (in inches) leave room for the axis labels."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_INCHES, height))
    figure.patch.set_facecolor("white")
    figure.subplots_adjust(left=left / WIDTH_INCHES, right=1 - right / WIDTH_INCHES,
                           bottom=0.85 / height, top=1 - 0.65 / height)
    return figure


def _integer_ticks() -> Any:
    """Return a tick locator that puts ticks on whole numbers only."""
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True)


def _legend_on_top(axes: Any, handles: list[Any]) -> None:
    """Put the legend above the plot, where it never covers a bar (the page has the title)."""
    axes.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2,
                frameon=False)


def walks_and_met_chart(report: Report) -> Chart:
    """Draw walks (bars) and youths met (line, right axis) per month."""
    months = [row.label for row in report.by_month]
    walks = [row.figures.walks for row in report.by_month]
    met = [row.figures.met for row in report.by_month]
    figure = _figure()
    axes = figure.add_subplot()
    axes.bar(months, walks, color=WALK_COLOUR, label=_("Nattvandringar"))
    axes.set_ylabel(_("Nattvandringar"))
    axes.yaxis.set_major_locator(_integer_ticks())
    axes.tick_params(axis="x", labelrotation=45 if len(months) > 6 else 0)
    right = axes.twinx()
    right.plot(months, met, color=MET_COLOUR, marker="o", linewidth=2,
               label=_("Träffade ungdomar"))
    right.set_ylabel(_("Träffade ungdomar"))
    right.set_ylim(bottom=0)
    right.yaxis.set_major_locator(_integer_ticks())
    handles = axes.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
    _legend_on_top(axes, handles)
    values = "; ".join(
        _("%(month)s: %(walks)s nattvandringar, %(met)s träffade", month=month, walks=w, met=m)
        for month, w, m in zip(months, walks, met, strict=True))
    alt = _("Stapeldiagram: nattvandringar per månad, med träffade ungdomar som linje. "
            "%(values)s", values=values)
    return Chart(_("Nattvandringar och träffade ungdomar per månad"), alt, _svg_uri(figure))


def met_talked_by_district_chart(report: Report) -> Chart:
    """Draw youths met and talked with per district as horizontal bars."""
    rows = [row for row in report.by_district if row.figures.walks or row.figures.met]
    names = [row.label for row in rows][::-1]
    met = [row.figures.met for row in rows][::-1]
    talked = [row.figures.talked for row in rows][::-1]
    longest = max((len(name) for name in names), default=0)
    figure = _figure(height=max(2.5, 0.35 * len(rows) + 1.4), left=0.2 + 0.075 * longest,
                     right=0.2)
    axes = figure.add_subplot()
    positions = range(len(names))
    axes.barh([p + 0.2 for p in positions], met, height=0.4, color=MET_COLOUR,
              label=_("Träffade"))
    axes.barh([p - 0.2 for p in positions], talked, height=0.4, color=TALKED_COLOUR,
              label=_("Samtal"))
    axes.set_yticks(list(positions), names)
    axes.xaxis.set_major_locator(_integer_ticks())
    axes.set_xlabel(_("Ungdomar"))
    if rows:
        _legend_on_top(axes, axes.get_legend_handles_labels()[0])
    else:
        axes.text(0.5, 0.5, _("Inga nattvandringar i urvalet"), ha="center", va="center",
                  transform=axes.transAxes)
    values = "; ".join(
        _("%(district)s: %(met)s träffade, %(talked)s samtal",
          district=row.label, met=row.figures.met, talked=row.figures.talked) for row in rows)
    alt = _("Liggande stapeldiagram: träffade ungdomar och samtal per stadsdel. %(values)s",
            values=values or _("inga nattvandringar i urvalet"))
    return Chart(_("Träffade ungdomar och samtal per stadsdel"), alt, _svg_uri(figure))


def cost_chart(report: Report) -> Chart:
    """Draw stipends per month (bars), the school year's running total and its budget."""
    months = [row.month for row in report.cost_months]
    monthly = [float(row.cost.stipends) for row in report.cost_months]
    running = [float(row.cumulative_stipends) for row in report.cost_months]
    budgets = [float(row.budget) if row.budget is not None else None
               for row in report.cost_months]
    figure = _figure(left=0.9, right=0.2)
    axes = figure.add_subplot()
    axes.bar(months, monthly, color=COST_COLOUR, label=_("Arvoden per månad"))
    axes.plot(months, running, color=WALK_COLOUR, marker="o", linewidth=2,
              label=_("Arvoden hittills under läsåret"))
    if any(budget is not None for budget in budgets):
        axes.step(months, [b if b is not None else float("nan") for b in budgets],
                  where="mid", color=BUDGET_COLOUR, linestyle="--", linewidth=2,
                  label=_("Läsårets budget"))
    axes.set_ylabel(_("kronor"))
    axes.set_ylim(bottom=0)
    axes.tick_params(axis="x", labelrotation=45 if len(months) > 6 else 0)
    axes.yaxis.set_major_formatter(lambda value, _pos: f"{value:,.0f}".replace(",", "\u00a0"))
    _legend_on_top(axes, axes.get_legend_handles_labels()[0])
    budget_text = "; ".join(
        _("budget %(year)s: %(amount)s", year=row.school_year, amount=format_sek(row.budget))
        for row in report.budgets if row.budget is not None
    ) or _("ingen budget satt")
    values = "; ".join(f"{row.month}: {format_sek(row.cost.stipends)}"
                       for row in report.cost_months)
    alt = _("Diagram: arvoden per månad som staplar, arvoden hittills under läsåret som linje "
            "och läsårets budget som streckad linje (%(budget)s). %(values)s",
            budget=budget_text, values=values)
    return Chart(_("Arvoden per månad mot läsårets budget"), alt, _svg_uri(figure))


def report_charts(report: Report) -> list[Chart]:
    """Return every chart of the report (the cost chart only when cost is shown)."""
    charts = [walks_and_met_chart(report), met_talked_by_district_chart(report)]
    if report.with_cost:
        charts.append(cost_chart(report))
    return charts
