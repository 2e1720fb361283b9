"""`flask seed` (reference data) and `flask demo` (demo users and data)."""

from __future__ import annotations

import click

from polare.admin import bp
from polare.admin.demo import DEMO_PASSWORD, load_demo
from polare.clock import local_today
from polare.events.seed import seed_event_types
from polare.extensions import db
from polare.org.seed import seed_reference_data
from polare.transactions import command_unit_of_work
from polare.walks.seed import seed_incident_categories


def seed_all() -> list[str]:
    """Load every kind of reference data; return what was created."""
    created = seed_reference_data(db.session, local_today())
    created += seed_event_types(db.session)
    created += seed_incident_categories(db.session)
    return created


@bp.cli.command("seed")
def seed_command() -> None:
    """Load teams, districts, school years, event types and incident categories."""
    with command_unit_of_work():
        created = seed_all()
    click.echo(f"Referensdata: {len(created)} nya poster." if created
               else "Referensdata finns redan.")


@bp.cli.command("demo")
def demo_command() -> None:
    """Load demo users (one per role) and demo data, once; print the logins."""
    with command_unit_of_work():
        seed_all()
        logins = load_demo(db.session, local_today())
    click.echo(f"Demoinloggningar (lösenord för alla: {DEMO_PASSWORD}):")
    for username, description in logins:
        click.echo(f"  {username:<18} {description}")
