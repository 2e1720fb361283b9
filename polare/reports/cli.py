"""`flask report`: the follow-up report of a date range as an Excel workbook."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from polare.clock import local_today
from polare.extensions import db
from polare.org.services import team_by_name
from polare.reports import bp
from polare.reports.aggregates import rebuild_all, refresh_teams, stale_teams
from polare.reports.periods import MAX_REPORT_MONTHS, month_count
from polare.reports.report import compute_report
from polare.reports.scope import scope_for
from polare.reports.workbook import report_workbook
from polare.transactions import command_unit_of_work

ISO_DATE = click.DateTime(formats=["%Y-%m-%d"])


@bp.cli.command("report")
@click.option("--from", "date_from", type=ISO_DATE, required=True, help="Första dag, 2026-09-01.")
@click.option("--to", "date_to", type=ISO_DATE, required=True, help="Sista dag, 2026-12-31.")
@click.option("--team", "team_names", multiple=True, help="Team (kan upprepas); utan = alla.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Excelfilen som skrivs, t.ex. uppfoljning.xlsx.")
def report_command(date_from: datetime, date_to: datetime, team_names: tuple[str, ...],
                   out: Path) -> None:
    """Write the follow-up report of a date range (all teams or the named ones) to Excel."""
    if date_to < date_from:
        raise click.BadParameter("slutdatum före startdatum", param_hint="--to")
    if month_count(date_from, date_to) > MAX_REPORT_MONTHS:
        raise click.BadParameter(f"högst {MAX_REPORT_MONTHS} månader", param_hint="--to")
    with command_unit_of_work():
        team_ids = []
        for name in team_names:
            team = team_by_name(db.session, name)
            if team is None:
                raise click.BadParameter(f"okänt team: {name}", param_hint="--team")
            team_ids.append(team.id)
        scope = scope_for(None, date_from.date(), date_to.date(), team_ids=team_ids)
        report = compute_report(db.session, scope, today=local_today())
        out.write_bytes(report_workbook(report))
    total = report.total
    click.echo(f"{out}: {total.walks} nattvandringar, {total.hours} timmar, "
               f"{total.polarpass} polarpass, {total.polare} unika polare.")


@bp.cli.group("reports")
def reports_group() -> None:
    """Follow-up aggregates."""


@reports_group.command("rebuild")
@click.option("--stale", is_flag=True,
              help="Bara team vars siffror inte är aktuella (snabbt när alla är det).")
def rebuild_command(stale: bool) -> None:
    """Recompute every team's follow-up aggregates from the source rows (e.g. after a restore),
    or with --stale those of the teams that are not current (from cron, after a month begins
    or a pay period closes, so that no page has to)."""
    today = local_today()
    if stale:
        teams = _rebuild_stale(today)
    else:
        with command_unit_of_work():
            teams = rebuild_all(db.session, today)
    click.echo(f"{teams} team byggda om.")


def _rebuild_stale(today: date) -> int:
    """Rebuild the stale teams a batch per transaction, so that the pages' own writes (and
    rebuilds) wait at most one batch, and return how many there were."""
    with command_unit_of_work():
        left = total = len(stale_teams(db.session, today))
    while left:
        with command_unit_of_work():
            refresh_teams(db.session, today, seconds=0)  # one batch
            now_left = len(stale_teams(db.session, today))
        if now_left >= left:
            raise click.ClickException(
                f"{now_left} team kunde inte byggas om: en sida byggde om dem samtidigt eller "
                "de ändrades under tiden; kör kommandot igen")
        left = now_left
    return total
