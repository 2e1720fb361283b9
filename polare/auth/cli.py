"""`flask users create USERNAME --role ROLE [--team TEAM ...] [--attest]` (password from standard
input), and `flask users grant-attest|revoke-attest USERNAME`."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from polare.auth import bp, services
from polare.auth.models import Role
from polare.extensions import db
from polare.transactions import command_unit_of_work

users_cli = AppGroup("users", help="Manage staff users.")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--team", "teams", multiple=True, help="Team name; repeat for several teams.")
@click.option("--name", "full_name", default="", help="Full name.")
@click.option("--attest", is_flag=True, help="Ge attesträtt: får attestera löneperioder.")
def create_user_command(username: str, role: str, teams: tuple[str, ...], full_name: str,
                        attest: bool) -> None:
    """Create a user; the password is read from standard input (one line)."""
    if sys.stdin.isatty():
        password = click.prompt("Lösenord", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    with command_unit_of_work():
        user = services.create_user_by_team_names(
            db.session, None, username=username, password=password, role=Role(role),
            team_names=teams, full_name=full_name, can_attest=attest,
        )
    click.echo(f"Skapade {user.username} ({user.role.value}"
               f"{', attesträtt' if user.can_attest else ''}).")


def _set_attest_right(username: str, allowed: bool) -> None:
    """Grant or revoke attesträtt and commit, or print the refusal."""
    with command_unit_of_work():
        user = services.set_attest_right(db.session, None, username, allowed)
    click.echo(f"{user.username} {'har' if allowed else 'har inte längre'} attesträtt.")


@users_cli.command("grant-attest")
@click.argument("username")
def grant_attest_command(username: str) -> None:
    """Give USERNAME attesträtt: the right to attest pay periods someone else closed."""
    _set_attest_right(username, True)


@users_cli.command("revoke-attest")
@click.argument("username")
def revoke_attest_command(username: str) -> None:
    """Take attesträtt from USERNAME."""
    _set_attest_right(username, False)


bp.cli.add_command(users_cli)
