"""`flask roster close-years`, and the same closing on the first request after a year ends."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from polare.clock import local_today
from polare.database import immediate_transactions
from polare.extensions import db
from polare.roster import bp
from polare.roster.services.year_end import close_ended_years, open_enrolments_of_ended_years
from polare.transactions import command_unit_of_work, unit_of_work

_CHECKED_ON = "polare_year_end_checked_on"

roster_cli = AppGroup("roster", help="The roster: closing school years.")


@roster_cli.command("close-years")
def close_years_command() -> None:
    """Close the open enrolments of school years that have ended (run daily)."""
    with command_unit_of_work():
        closed = close_ended_years(db.session, None, on=local_today())
    click.echo(f"Inskrivningar stängda vid läsårets slut: {len(closed)}")
    for item in closed:
        click.echo(f"  anmälan #{item.enrolment_id} ({item.school_year}): "
                   f"{item.old_status.value} → {item.new_status.value}")


@bp.before_app_request
def close_ended_years_once_a_day() -> None:
    """On the first request of a day, close what a school year that ended left open."""
    if not current_app.config.get("POLARE_CLOSE_YEARS_ON_REQUEST", True):
        return
    today = local_today()
    if current_app.extensions.get(_CHECKED_ON) == today:
        return
    found = open_enrolments_of_ended_years(db.session, on=today)
    db.session.rollback()  # end the read; the closing writes in its own transaction
    if found:
        token = immediate_transactions.set(True)
        try:
            with unit_of_work(db.session):
                close_ended_years(db.session, None, on=today)
        finally:
            immediate_transactions.reset(token)
    current_app.extensions[_CHECKED_ON] = today


bp.cli.add_command(roster_cli)
