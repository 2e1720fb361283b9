"""`flask users create USERNAME --role ROLE [--team TEAM ...]` (password from standard input)."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from polare.auth import bp, services
from polare.auth.models import Role
from polare.errors import DomainError
from polare.extensions import db

users_cli = AppGroup("users", help="Manage staff users.")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--team", "teams", multiple=True, help="Team name; repeat for several teams.")
@click.option("--name", "full_name", default="", help="Full name.")
def create_user_command(username: str, role: str, teams: tuple[str, ...], full_name: str) -> None:
    """Create a user; the password is read from standard input (one line)."""
    if sys.stdin.isatty():
        password = click.prompt("Lösenord", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        user = services.create_user_by_team_names(
            db.session, None, username=username, password=password, role=Role(role),
            team_names=teams, full_name=full_name,
        )
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Skapade {user.username} ({user.role.value}).")


bp.cli.add_command(users_cli)
