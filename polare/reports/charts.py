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
from polare.reports.figures import Report, Row

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Narrow enough that matplotlib's 10 pt text is still about 11 px on a 360 px phone.
WIDTH_INCHES = 4.2
HEIGHT_INCHES = 3.2
WALK_COLOUR = "#0d6efd"
MET_COLOUR = "#d63384"
TALKED_COLOUR = "#20c997"
COST_COLOUR = "#6f42c1"
BUDGET_COLOUR = "#dc3545"
#: The month still running is drawn hatched and paler: its figures are not complete yet.
RUNNING_HATCH = "///"
RUNNING_ALPHA = 0.45


@dataclass(frozen=True)
class Chart:
    """A rendered chart: its title, its text alternative, the SVG as a data URI, a note."""

    title: str
    alt: str
    src: str
    note: str = ""


def _svg_uri(figure: Figure) -> str:
    """Return the figure as a base64 SVG data URI."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _figure(height: float = HEIGHT_INCHES, left: float = 0.7, right: float = 0.2,
            top: float = 0.65) -> Figure:
    """Return an empty figure whose margins (in inches) leave room for labels and legend."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_INCHES, height))
    figure.patch.set_facecolor("white")
    figure.subplots_adjust(left=left / WIDTH_INCHES, right=1 - right / WIDTH_INCHES,
                           bottom=0.85 / height, top=1 - top / height)
    return figure


def _integer_ticks() -> Any:
    """Return a tick locator that puts ticks on whole numbers only."""
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True)


def _legend_on_top(axes: Any, handles: list[Any], columns: int = 2) -> None:
    """Put the legend above the plot, where it never covers a bar (the page has the title)."""
    axes.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=columns,
                frameon=False)


def _month_axis(axes: Any, months: list[str], running: str | None) -> None:
    """Label the months, the running one with an asterisk, rotated when there are many."""
    axes.set_xticks(range(len(months)),
                    [f"{month}*" if month == running else month for month in months])
    axes.tick_params(axis="x", labelrotation=45 if len(months) > 4 else 0)


def _mark_running(bars: Any, months: list[str], running: str | None) -> None:
    """Draw the running month's bar hatched and paler, so it does not read as a collapse."""
    for bar, month in zip(bars, months, strict=True):
        if month == running:
            bar.set_hatch(RUNNING_HATCH)
            bar.set_alpha(RUNNING_ALPHA)


def _running_note(months: list[str], running: str | None) -> str:
    if running not in months:
        return ""
    return _("* %(month)s pågår: siffrorna är inte kompletta.", month=running)


def _months_so_far(report: Report) -> list[Row]:
    """Return the report's months up to the running one: later months have no walks yet."""
    running = report.running_month
    return [row for row in report.by_month if running is None or row.label <= running]


def _with_note(alt: str, note: str) -> str:
    return f"{alt}. {note}" if note else alt


def walks_chart(report: Report) -> Chart:
    """Draw the walks of each month as bars."""
    rows = _months_so_far(report)
    months = [row.label for row in rows]
    walks = [row.figures.walks for row in rows]
    figure = _figure(height=HEIGHT_INCHES - 0.45, top=0.2)
    axes = figure.add_subplot()
    bars = axes.bar(range(len(months)), walks, color=WALK_COLOUR)
    _mark_running(bars, months, report.running_month)
    _month_axis(axes, months, report.running_month)
    axes.set_ylabel(_("Nattvandringar"))
    axes.yaxis.set_major_locator(_integer_ticks())
    note = _running_note(months, report.running_month)
    values = "; ".join(_("%(month)s: %(walks)s nattvandringar", month=month, walks=count)
                       for month, count in zip(months, walks, strict=True))
    alt = _("Stapeldiagram: nattvandringar per månad. %(values)s", values=values)
    return Chart(_("Nattvandringar per månad"), _with_note(alt, note), _svg_uri(figure), note)


def met_chart(report: Report) -> Chart:
    """Draw youths met and talked with in each month as paired bars on one axis."""
    rows = _months_so_far(report)
    months = [row.label for row in rows]
    met = [row.figures.met for row in rows]
    talked = [row.figures.talked for row in rows]
    figure = _figure()
    axes = figure.add_subplot()
    positions = range(len(months))
    met_bars = axes.bar([p - 0.2 for p in positions], met, width=0.4, color=MET_COLOUR,
                        label=_("Träffade"))
    talked_bars = axes.bar([p + 0.2 for p in positions], talked, width=0.4,
                           color=TALKED_COLOUR, label=_("Samtal"))
    _mark_running(met_bars, months, report.running_month)
    _mark_running(talked_bars, months, report.running_month)
    _month_axis(axes, months, report.running_month)
    axes.set_ylabel(_("Ungdomar"))
    axes.yaxis.set_major_locator(_integer_ticks())
    _legend_on_top(axes, axes.get_legend_handles_labels()[0])
    note = _running_note(months, report.running_month)
    values = "; ".join(
        _("%(month)s: %(met)s träffade, %(talked)s samtal", month=month, met=m, talked=t)
        for month, m, t in zip(months, met, talked, strict=True))
    alt = _("Stapeldiagram: träffade ungdomar och samtal per månad. %(values)s", values=values)
    return Chart(_("Träffade ungdomar och samtal per månad"), _with_note(alt, note),
                 _svg_uri(figure), note)


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


def cost_figure(report: Report) -> Figure:
    """Draw stipends per month (bars), the school year's running total and its budget.

    The legend's long labels stand one above the other: side by side they are wider than a
    phone's screen."""
    months = [row.month for row in report.cost_months]
    monthly = [float(row.cost.stipends) for row in report.cost_months]
    running = [float(row.cumulative_stipends) for row in report.cost_months]
    budgets = [float(row.budget) if row.budget is not None else None
               for row in report.cost_months]
    figure = _figure(height=HEIGHT_INCHES + 0.3, left=0.9, right=0.2, top=0.85)
    axes = figure.add_subplot()
    positions = list(range(len(months)))
    bars = axes.bar(positions, monthly, color=COST_COLOUR, label=_("Arvoden per månad"))
    _mark_running(bars, months, report.running_month)
    axes.plot(positions, running, color=WALK_COLOUR, marker="o", linewidth=2,
              label=_("Arvoden hittills under läsåret"))
    if any(budget is not None for budget in budgets):
        axes.step(positions, [b if b is not None else float("nan") for b in budgets],
                  where="mid", color=BUDGET_COLOUR, linestyle="--", linewidth=2,
                  label=_("Läsårets budget"))
    axes.set_ylabel(_("kronor"))
    axes.set_ylim(bottom=0)
    _month_axis(axes, months, report.running_month)
    axes.yaxis.set_major_formatter(lambda value, _pos: f"{value:,.0f}".replace(",", "\u00a0"))
    _legend_on_top(axes, axes.get_legend_handles_labels()[0], columns=1)
    return figure


def cost_chart(report: Report) -> Chart:
    """Return the chart of stipends per month against the school year's budget."""
    months = [row.month for row in report.cost_months]
    figure = cost_figure(report)
    budget_text = "; ".join(
        _("budget %(year)s: %(amount)s", year=row.school_year, amount=format_sek(row.budget))
        for row in report.budgets if row.budget is not None
    ) or _("ingen budget satt")
    values = "; ".join(f"{row.month}: {format_sek(row.cost.stipends)}"
                       for row in report.cost_months)
    alt = _("Diagram: arvoden per månad som staplar, arvoden hittills under läsåret som linje "
            "och läsårets budget som streckad linje (%(budget)s). %(values)s",
            budget=budget_text, values=values)
    note = _running_note(months, report.running_month)
    return Chart(_("Arvoden per månad mot läsårets budget"), _with_note(alt, note),
                 _svg_uri(figure), note)


def report_charts(report: Report) -> dict[str, Chart]:
    """Return every chart of the report by name (the cost chart only when cost is shown)."""
    charts = {"walks": walks_chart(report), "met": met_chart(report),
              "districts": met_talked_by_district_chart(report)}
    if report.with_cost:
        charts["cost"] = cost_chart(report)
    return charts
